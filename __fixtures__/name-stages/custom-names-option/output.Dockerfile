FROM node:20 AS compile
RUN npm ci && npm run build
FROM node:20-slim AS app
COPY --from=compile /app /app
