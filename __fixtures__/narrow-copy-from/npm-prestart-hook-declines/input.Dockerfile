FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=build /app /app
CMD ["npm", "start"]
