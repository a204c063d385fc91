FROM node:20
WORKDIR /app
COPY services/api/package.json ./
COPY . .
RUN npm install
