FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm install -g nodemon && npm install express@4
COPY . .
CMD ["node", "server.js"]
