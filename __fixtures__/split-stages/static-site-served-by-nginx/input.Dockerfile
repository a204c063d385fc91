FROM node:20
RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN rm -rf /var/www/html/* && cp -r dist/* /var/www/html/
COPY nginx/site.conf /etc/nginx/sites-available/default
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
