FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
# production install
ENV NODE_ENV=production
ARG NPM_TOKEN
RUN npm ci
COPY . .
CMD ["node", "server.js"]
