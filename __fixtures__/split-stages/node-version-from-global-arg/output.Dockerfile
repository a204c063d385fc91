ARG NODE_VERSION=20
FROM node:${NODE_VERSION} AS build
ARG APP_VERSION=dev
WORKDIR /app
COPY . .
RUN npm ci
RUN npm prune --omit=dev

FROM node:${NODE_VERSION}-slim AS runtime
ARG APP_VERSION=dev
WORKDIR /app
COPY --from=build /app /app
LABEL version=$APP_VERSION
CMD ["node", "index.js"]
