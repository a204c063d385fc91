FROM node:18
WORKDIR /usr/src/app
ADD package.json package-lock.json ./
RUN npm install
ADD --chown=node:node . .
add public/ ./public/
ADD ["config/app.json", "/etc/app/"]
CMD npm start
