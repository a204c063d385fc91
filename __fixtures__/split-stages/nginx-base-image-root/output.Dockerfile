FROM nginx:1.25-alpine AS build
RUN apk add --update nodejs npm
COPY . .
RUN npm install && npm run build
RUN cp -r dist/. /usr/share/nginx/html/

FROM nginx:1.25-alpine AS runtime
COPY --from=build /usr/share/nginx/html /usr/share/nginx/html
EXPOSE 80
