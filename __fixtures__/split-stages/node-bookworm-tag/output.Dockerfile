FROM node:20.11-bookworm AS build
WORKDIR /srv/app
COPY . .
RUN npm ci && npm run build
RUN npm prune --omit=dev

FROM node:20.11-bookworm-slim AS runtime
WORKDIR /srv/app
COPY --from=build /srv/app /srv/app
CMD ["node", "dist/index.js"]
