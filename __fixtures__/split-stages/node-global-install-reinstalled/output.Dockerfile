FROM node:20 AS deps
RUN npm install -g pm2@5
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
RUN npm install -g pm2@5
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["pm2-runtime", "dist/index.js"]
