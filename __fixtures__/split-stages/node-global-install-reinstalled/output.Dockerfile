FROM node:20 AS build
RUN npm install -g pm2@5
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
RUN npm prune --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
RUN npm install -g pm2@5
COPY --from=build /app /app
CMD ["pm2-runtime", "dist/index.js"]
