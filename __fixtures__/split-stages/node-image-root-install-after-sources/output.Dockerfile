FROM node:14 AS deps
COPY . .
RUN npm install --production

FROM node:14-slim AS runtime
COPY --from=deps /node_modules /node_modules
COPY --from=deps /package-lock.json /package-lock.json
COPY . .
CMD ["node", "server.js"]
