FROM node:20
ARG CACHE=/tmp/npm
ENV npm_config_cache=$CACHE
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
