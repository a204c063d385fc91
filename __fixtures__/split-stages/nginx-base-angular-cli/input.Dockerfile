FROM nginx:1.17.9-alpine
WORKDIR /opt
COPY . .
RUN apk add --update nodejs npm && npm install -g @angular/cli && npm install && ng build --prod=true && mv -f /opt/dist/audit-front/* /usr/share/nginx/html
EXPOSE 80
