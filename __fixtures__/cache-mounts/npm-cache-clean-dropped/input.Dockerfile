FROM node:16-alpine
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --only=production && \
    npm cache clean --force
COPY . .
CMD ["node", "index.js"]
