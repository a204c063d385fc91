FROM node:20 AS deps

WORKDIR /usr/src/app

COPY package*.json ./
RUN npm ci --omit=dev

COPY docker-entrypoint.sh /usr/local/bin/
RUN chmod +x /usr/local/bin/docker-entrypoint.sh

FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app

COPY . .
COPY docker-entrypoint.sh /usr/local/bin/
RUN chmod +x /usr/local/bin/docker-entrypoint.sh

EXPOSE 3000
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node", "server.js"]
