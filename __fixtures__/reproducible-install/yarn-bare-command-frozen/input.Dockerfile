FROM node:18
WORKDIR /app
COPY . .
RUN yarn && yarn cache clean
CMD ["node", "server.js"]
