FROM node:16-alpine
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --only=production
COPY . .
CMD ["node", "index.js"]
