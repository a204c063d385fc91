FROM node:20
ENV NPM_CONFIG_CACHE=/var/cache/npm
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/var/cache/npm npm ci
CMD ["node", "index.js"]
