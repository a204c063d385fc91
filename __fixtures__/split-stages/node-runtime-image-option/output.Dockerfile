FROM node:20 AS compile
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20 AS deps
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci --omit=dev

FROM node:20-bookworm-slim AS app
WORKDIR /app
COPY --from=deps /app /app
COPY . .
COPY --from=compile /app/dist /app/dist
CMD ["node", "dist/index.js"]
