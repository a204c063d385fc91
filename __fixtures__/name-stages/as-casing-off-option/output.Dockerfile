FROM node:20 as build
RUN npm run build
FROM nginx AS runtime
COPY --from=build /app/dist /usr/share/nginx/html
