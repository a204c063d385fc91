FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci \
 && npm run build
RUN npm prune --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=build /app /app
EXPOSE 8080
CMD ["node", "dist/index.js"]