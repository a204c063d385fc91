FROM nginx:alpine AS build

RUN apk add --no-cache nodejs npm

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# publish the site
RUN rm -rf /usr/share/nginx/html/* && cp -r dist/* /usr/share/nginx/html/

FROM nginx:alpine AS runtime
WORKDIR /app
RUN rm -rf /usr/share/nginx/html/*
COPY --from=build /usr/share/nginx/html /usr/share/nginx/html

EXPOSE 80
