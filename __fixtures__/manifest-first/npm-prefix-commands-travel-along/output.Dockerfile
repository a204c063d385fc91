FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
RUN apt-get update && apt-get install -y python3 make g++ && npm ci
COPY . .
RUN npm run build
CMD ["npm", "start"]
