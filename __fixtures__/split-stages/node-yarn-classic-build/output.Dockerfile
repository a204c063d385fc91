FROM node:20 AS build
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

FROM node:20 AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
COPY --from=build /app/dist /app/dist
CMD ["node", "dist/index.js"]
