FROM node:boron
WORKDIR /usr/src/app
COPY package.json .
RUN npm install
COPY . .
EXPOSO 8080
CMD [ "npm", "start" ]
FROM alpine
COPY --from=0 /usr/src/app /app
