FROM node:18-alpine
WORKDIR /usr/src/app
COPY . .
RUN npm install --omit=dev
USER node
CMD ["node", "server.js"]
