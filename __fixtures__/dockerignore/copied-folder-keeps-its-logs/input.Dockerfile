FROM node:20
WORKDIR /app
COPY fixtures/ ./fixtures/
COPY . .
RUN npm ci && node check.js fixtures/replay.log
CMD ["node", "server.js"]
