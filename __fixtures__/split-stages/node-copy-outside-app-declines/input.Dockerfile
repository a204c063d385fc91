FROM node:20
WORKDIR /app
COPY config/app.yml /etc/app/app.yml
COPY . .
RUN npm ci
CMD ["node", "server.js"]
