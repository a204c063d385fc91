FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --offline
CMD ["node", "index.js"]
