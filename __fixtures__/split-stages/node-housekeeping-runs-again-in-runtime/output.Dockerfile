FROM node:20 AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
RUN mkdir -p logs uploads && chmod +x bin/start.sh
CMD ["node", "server.js"]
