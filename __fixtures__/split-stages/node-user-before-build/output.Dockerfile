FROM node:20 AS build
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
USER node
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build

FROM node:20 AS deps
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
USER node
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
USER node
COPY --from=deps /usr/src/app /usr/src/app
COPY --chown=node:node . .
COPY --from=build /usr/src/app/dist /usr/src/app/dist
CMD ["node", "dist/index.js"]
