FROM nginx:1.25 AS build

RUN apt-get update && apt-get install -y nodejs npm && rm -rf /var/lib/apt/lists/*

COPY . /app
WORKDIR /app
RUN npm install && npm run build && cp -r build/* /usr/share/nginx/html

COPY nginx/default.conf /etc/nginx/conf.d/default.conf

FROM nginx:1.25 AS runtime
MAINTAINER web team <web@example.com>
WORKDIR /app
COPY --from=build /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/default.conf
COPY --from=build /usr/share/nginx/html /usr/share/nginx/html
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
