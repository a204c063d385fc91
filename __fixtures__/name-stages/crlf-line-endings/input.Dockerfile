FROM node:20
RUN npm ci && npm run build

# serve the bundle
FROM nginx:alpine
COPY --from=0 /app/dist /usr/share/nginx/html
