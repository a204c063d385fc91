FROM node:20 AS build
WORKDIR /usr/src/app
COPY . .
RUN npm ci && npm run build && npm prune --production

FROM node:20-slim
WORKDIR /usr/src/app
COPY --from=build /usr/src/app /usr/src/app
CMD ["node", "server.js"]
