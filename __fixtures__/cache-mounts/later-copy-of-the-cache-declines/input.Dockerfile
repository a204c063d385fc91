FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci

FROM node:20-slim
COPY --from=build /root/.npm /root/.npm
COPY --from=build /app /app
WORKDIR /app
RUN npm ci --omit=dev
CMD ["node", "index.js"]
