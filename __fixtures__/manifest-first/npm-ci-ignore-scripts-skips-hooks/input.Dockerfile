FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --ignore-scripts && npm run build
CMD ["node", "dist/server.js"]
