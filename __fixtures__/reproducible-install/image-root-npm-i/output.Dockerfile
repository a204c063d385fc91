FROM node:16
COPY package*.json ./
RUN npm ci --production
COPY . .
CMD npm start
