FROM node:20 AS base
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

FROM base AS runtime
RUN --mount=type=bind,from=deps,source=/app/node_modules,target=/app/node_modules \
    --mount=type=cache,target=/root/.npm,from=deps \
    npm test
COPY --from=deps /app/node_modules ./node_modules
