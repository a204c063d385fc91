FROM node:18
WORKDIR /app
COPY . .
RUN yarn --frozen-lockfile && yarn cache clean
CMD ["node", "server.js"]
