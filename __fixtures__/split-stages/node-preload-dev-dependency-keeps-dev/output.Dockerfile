FROM node:20 AS deps
WORKDIR /app
COPY package.json ./
RUN npm ci

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD node -r ts-node/register src/index.ts
