FROM node:16 AS build
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
RUN npm prune --omit=dev

FROM node:16-slim AS runtime
WORKDIR /app
CMD ["node", "dist/index.js"]
COPY --from=build /app /app

# built by CI on every push
