FROM node:20 AS compile
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS app
WORKDIR /app
COPY --from=compile /app /app
CMD ["node", "dist/index.js"]
