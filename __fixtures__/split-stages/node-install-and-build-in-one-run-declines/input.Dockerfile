FROM node:20
WORKDIR /app
COPY package*.json tsconfig.json ./
COPY src ./src
RUN npm ci && npm run build
CMD ["node", "dist/index.js"]
