FROM node:20
WORKDIR /srv
COPY . /app
RUN npm ci
CMD ["node", "/app/server.js"]
