FROM node:20.11-bookworm
WORKDIR /srv/app
COPY . .
RUN npm ci && npm run build
CMD ["node", "dist/index.js"]
