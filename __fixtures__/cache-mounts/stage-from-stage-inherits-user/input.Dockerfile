FROM node:20 AS base
USER node
WORKDIR /home/node/app

FROM base AS deps
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci

FROM base
COPY --from=deps --chown=node:node /home/node/app/node_modules ./node_modules
COPY --chown=node:node . .
CMD ["node", "server.js"]
