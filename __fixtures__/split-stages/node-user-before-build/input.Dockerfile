FROM node:20
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
USER node
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
CMD ["node", "dist/index.js"]
