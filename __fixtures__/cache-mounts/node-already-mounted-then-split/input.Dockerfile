FROM node:20

WORKDIR /usr/src/app

COPY . .

RUN --mount=type=cache,target=/root/.npm npm ci

EXPOSE 3000

CMD ["node", "server.js"]
