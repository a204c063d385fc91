FROM node:16
COPY package*.json ./
RUN npm i --production
COPY . .
CMD npm start
