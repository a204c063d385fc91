FROM nginx:1.17.9-alpine AS build
WORKDIR /opt
COPY . .
RUN apk add --update nodejs npm && npm install -g @angular/cli && npm install && ng build --prod=true && mv -f /opt/dist/audit-front/* /usr/share/nginx/html

FROM nginx:1.17.9-alpine AS runtime
WORKDIR /opt
COPY --from=build /usr/share/nginx/html /usr/share/nginx/html
EXPOSE 80
