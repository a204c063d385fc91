FROM node:20-slim
WORKDIR /app
COPY .npmrc package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/web/package.json ./apps/web/
COPY packages/ui/package.json ./packages/ui/
RUN corepack enable && pnpm install --frozen-lockfile
COPY . .
RUN pnpm -r build
CMD ["node", "apps/web/server.js"]
