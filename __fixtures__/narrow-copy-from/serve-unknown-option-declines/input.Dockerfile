FROM node:18 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:18-alpine
RUN npm i -g serve
WORKDIR /app
COPY --from=build /app /app
CMD serve --frobnicate build
