FROM node:20-slim
WORKDIR /app
COPY . .
RUN corepack enable && pnpm install --frozen-lockfile && pnpm -r build
CMD ["node", "apps/web/server.js"]
