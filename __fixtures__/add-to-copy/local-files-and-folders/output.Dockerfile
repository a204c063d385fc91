FROM node:18
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm install
COPY --chown=node:node . .
copy public/ ./public/
COPY ["config/app.json", "/etc/app/"]
CMD npm start
