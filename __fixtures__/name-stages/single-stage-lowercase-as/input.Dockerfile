FROM node:18-alpine as bot
WORKDIR /usr/src/bot
COPY package.json ./
RUN npm install
COPY . .
CMD ["node", "index.js"]
