FROM node:20 AS deps
COPY . .
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
COPY --from=deps /node_modules /node_modules
COPY --from=deps /package-lock.json /package-lock.json
COPY . .
CMD ["node", "index.js"]
