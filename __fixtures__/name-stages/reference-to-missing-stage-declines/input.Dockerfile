FROM node:20
RUN npm ci && npm run build
FROM nginx:alpine
COPY --from=2 /app/dist /usr/share/nginx/html
