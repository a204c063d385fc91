FROM node:20 AS build
WORKDIR /site
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /site
COPY --from=build /site /site
CMD ["npm", "start"]
