FROM node:20
WORKDIR /app
COPY . .
# production install
ENV NODE_ENV=production
ARG NPM_TOKEN
RUN npm ci
CMD ["node", "server.js"]
