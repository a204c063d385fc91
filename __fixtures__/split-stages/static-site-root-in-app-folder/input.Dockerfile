FROM node:18
RUN apt-get update && apt-get install -y nginx
WORKDIR /app
COPY . .
RUN npm install && npm run build
# nginx serves straight from the build output
COPY nginx /etc/nginx/conf.d/
CMD ["nginx", "-g", "daemon off;"]
