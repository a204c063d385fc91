FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
