FROM node:20 AS build
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

FROM node:20 AS deps
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile --prod

FROM node:20-slim AS runtime
RUN corepack enable
WORKDIR /app
COPY --from=deps /app /app
COPY . .
COPY --from=build /app/dist /app/dist
CMD ["pnpm", "start"]
