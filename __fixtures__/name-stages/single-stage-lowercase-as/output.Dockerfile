FROM node:18-alpine AS bot
WORKDIR /usr/src/bot
COPY package.json ./
RUN npm install
COPY . .
CMD ["node", "index.js"]
