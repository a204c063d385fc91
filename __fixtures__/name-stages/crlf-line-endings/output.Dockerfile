FROM node:20 AS build
RUN npm ci && npm run build

# serve the bundle
FROM nginx:alpine AS runtime
COPY --from=build /app/dist /usr/share/nginx/html
