FROM node:20
WORKDIR /usr/src/app
COPY package.json package-lock.json* ./
RUN npm install
COPY . .
CMD ["node", "-r", "ts-node/register", "src/index.ts"]
