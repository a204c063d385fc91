FROM nginx:alpine
RUN apk add --no-cache nodejs npm imagemagick
WORKDIR /app
COPY . .
RUN npm install && npm run build && cp -r dist/* /usr/share/nginx/html/
