FROM ubuntu:18.04
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /srv/app
COPY package.json package-lock.json ./
RUN npm install
COPY . .
CMD ["nodejs", "server.js"]
