FROM node:20
RUN npm ci && npm run build
FROM node:20-slim
COPY --from=0 /app /app
