FROM node:lts AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --production

FROM node:lts-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["node", "index.js"]
