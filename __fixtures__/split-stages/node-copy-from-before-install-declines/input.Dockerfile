FROM node:20
WORKDIR /app
COPY --from=ghcr.io/acme/certs:1 /certs ./certs
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["node", "dist/index.js"]
