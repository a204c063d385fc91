FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
COPY scripts/postinstall.js ./scripts/
RUN npm ci
COPY . .
CMD ["node", "server.js"]
