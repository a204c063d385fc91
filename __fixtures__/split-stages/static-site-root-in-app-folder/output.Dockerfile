FROM node:18 AS build
RUN apt-get update && apt-get install -y nginx
WORKDIR /app
COPY . .
RUN npm install && npm run build
# nginx serves straight from the build output
COPY nginx /etc/nginx/conf.d/

FROM debian:bookworm-slim AS runtime
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/nginx/conf.d /etc/nginx/conf.d
COPY --from=build /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
COPY --from=build /app/build /app/build
COPY --from=build /app/public/assets /app/public/assets
CMD ["nginx", "-g", "daemon off;"]
