FROM node:18
WORKDIR /home/node/app
COPY --chown=node:node package*.json ./
USER node
RUN npm ci
COPY --chown=node:node . .
CMD npm start
