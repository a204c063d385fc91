FROM node:20 AS deps
WORKDIR /app
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
COPY . .
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
COPY --from=deps /app /app
ENTRYPOINT ["entrypoint.sh"]
