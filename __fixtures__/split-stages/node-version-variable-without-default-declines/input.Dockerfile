ARG NODE_IMAGE_TAG
FROM node:${NODE_IMAGE_TAG}
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
