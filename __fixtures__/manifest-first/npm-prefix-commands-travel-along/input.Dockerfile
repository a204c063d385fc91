FROM node:20
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y python3 make g++ && npm ci && npm run build
CMD ["npm", "start"]
