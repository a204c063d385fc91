FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npx webpack-cli --mode production
CMD ["node", "server.js"]
