FROM node:20 as build
RUN npm run build
FROM nginx
COPY --from=build /app/dist /usr/share/nginx/html
