FROM nginx:alpine AS build
RUN apk add --no-cache nodejs npm
WORKDIR /usr/share/nginx/html

# Copy package.json first to leverage Docker layer caching
COPY package*.json ./
RUN npm install

FROM nginx:alpine AS runtime
WORKDIR /usr/share/nginx/html
COPY --from=build /usr/share/nginx/html /usr/share/nginx/html

# Copy the rest of the application
COPY . .

EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
