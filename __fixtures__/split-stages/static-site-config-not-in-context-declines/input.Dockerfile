FROM node:20
RUN apt-get update && apt-get install -y nginx
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN cp -r dist/* /var/www/html/
COPY deploy/nginx.conf /etc/nginx/sites-available/default
CMD ["nginx", "-g", "daemon off;"]
