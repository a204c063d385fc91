FROM node:fermium AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production

FROM node:fermium-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["node", "index.js"]
