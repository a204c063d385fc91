FROM node:20 AS base
WORKDIR /app

FROM base
COPY package.json package-lock.json ./
RUN npm ci

FROM base
RUN --mount=type=bind,from=1,source=/app/node_modules,target=/app/node_modules \
    --mount=type=cache,target=/root/.npm,from=1 \
    npm test
COPY --from=1 /app/node_modules ./node_modules
