FROM node:20 AS deps
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn workspaces focus --all --production

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["node", "index.js"]
