FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && chown -R node:node /app
USER node
CMD ["node", "index.js"]
