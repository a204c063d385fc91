FROM node:20
WORKDIR /app
COPY . .
RUN npm install -g pm2 && npm install express
CMD ["pm2-runtime", "server.js"]
