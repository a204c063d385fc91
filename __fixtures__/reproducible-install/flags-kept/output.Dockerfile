FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    --loglevel warn && npm cache clean --force
COPY . .
CMD ["node", "server.js"]
