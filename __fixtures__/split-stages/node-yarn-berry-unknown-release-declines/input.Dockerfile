FROM node:20
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn
COPY . .
CMD ["node", "index.js"]
