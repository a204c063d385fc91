FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN mkdir -p logs uploads && chmod +x bin/start.sh
CMD ["node", "server.js"]
