FROM node:20 AS build
WORKDIR /site
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /site
COPY --from=build /site/package.json /site/package.json
COPY --from=build /site/node_modules /site/node_modules
COPY --from=build /site/dist /site/dist
CMD ["npm", "start"]
