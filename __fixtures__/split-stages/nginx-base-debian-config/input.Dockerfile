FROM nginx:1.25
MAINTAINER web team <web@example.com>

RUN apt-get update && apt-get install -y nodejs npm && rm -rf /var/lib/apt/lists/*

COPY . /app
WORKDIR /app
RUN npm install && npm run build && cp -r build/* /usr/share/nginx/html

COPY nginx/default.conf /etc/nginx/conf.d/default.conf
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
