FROM node:20
RUN apt-get update && apt-get install -y nginx
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN cp -r dist/* /var/www/html/ && cp dist/nginx.conf /etc/nginx/conf.d/default.conf
CMD ["nginx", "-g", "daemon off;"]
