FROM nginx:1.25-alpine
RUN apk add --update nodejs npm
COPY . .
RUN npm install && npm run build
RUN cp -r dist/. /usr/share/nginx/html/
EXPOSE 80
