FROM node:18-alpine
WORKDIR /usr/src/app
COPY .npmrc package-lock.json package.json ./
RUN npm install --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]
