FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
RUN ./scripts/fetch-geoip.sh
CMD ["node", "index.js"]
