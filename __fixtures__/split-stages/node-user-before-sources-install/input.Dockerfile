FROM node:20
WORKDIR /home/node/app
USER node
COPY --chown=node:node . .
RUN npm ci
CMD ["node", "index.js"]
