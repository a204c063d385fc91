FROM node:20
WORKDIR /app
COPY . .
RUN npm ci || npm install
CMD ["node", "index.js"]
