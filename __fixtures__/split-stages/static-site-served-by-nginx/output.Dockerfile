FROM node:20 AS build
RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN rm -rf /var/www/html/* && cp -r dist/* /var/www/html/
COPY nginx/site.conf /etc/nginx/sites-available/default

FROM debian:bookworm-slim AS runtime
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/* && rm -rf /var/www/html/*
COPY --from=build /etc/nginx/sites-available/default /etc/nginx/sites-available/default
COPY --from=build /var/www/html /var/www/html
COPY --from=build /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
