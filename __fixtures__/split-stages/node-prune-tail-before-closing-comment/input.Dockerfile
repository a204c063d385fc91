FROM node:16
WORKDIR /app
COPY . .
CMD ["node", "dist/index.js"]
RUN npm ci
RUN npm run build

# built by CI on every push
