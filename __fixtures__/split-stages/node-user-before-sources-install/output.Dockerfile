FROM node:20 AS deps
WORKDIR /home/node/app
USER node
COPY --chown=node:node . .
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
WORKDIR /home/node/app
USER node
COPY --from=deps /home/node/app /home/node/app
CMD ["node", "index.js"]
