FROM node:20 as builder
RUN npm run build
FROM nginx
COPY —from=builder /app/build /usr/share/nginx/html
