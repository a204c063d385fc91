FROM node:18 AS deps

RUN mkdir -p /home/node/app/node_modules && chown -R node:node /home/node/app

WORKDIR /home/node/app

COPY package*.json ./

USER node

RUN npm install --omit=dev

FROM node:18-slim AS runtime
RUN mkdir -p /home/node/app/node_modules && chown -R node:node /home/node/app
WORKDIR /home/node/app
USER node
COPY --from=deps /home/node/app /home/node/app

COPY --chown=node:node . .

EXPOSE 8080

CMD [ "node", "app.js" ]
