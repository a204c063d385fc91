FROM node:20 AS deps
WORKDIR /app
COPY . .
RUN npm install --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
CMD ["node", "server.js"]
