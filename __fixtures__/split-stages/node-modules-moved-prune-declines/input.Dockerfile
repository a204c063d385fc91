FROM node:18
WORKDIR /app
COPY . .
RUN npm install && mv node_modules /node_modules && npm run build
CMD ["node", "dist/index.js"]
