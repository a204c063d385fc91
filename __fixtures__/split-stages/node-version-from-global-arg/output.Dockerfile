ARG NODE_VERSION=20
FROM node:${NODE_VERSION} AS deps
ARG APP_VERSION=dev
WORKDIR /app
COPY package.json ./
RUN npm ci --omit=dev

FROM node:${NODE_VERSION}-slim AS runtime
ARG APP_VERSION=dev
WORKDIR /app
COPY --from=deps /app /app
COPY . .
LABEL version=$APP_VERSION
CMD ["node", "index.js"]
