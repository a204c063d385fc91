FROM node:20 AS deps

WORKDIR /usr/src/app

COPY package-lock.json package.json ./

RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app

COPY . .

EXPOSE 3000

CMD ["node", "server.js"]
