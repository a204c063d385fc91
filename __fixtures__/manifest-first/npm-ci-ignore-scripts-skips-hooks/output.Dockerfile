FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build
CMD ["node", "dist/server.js"]
