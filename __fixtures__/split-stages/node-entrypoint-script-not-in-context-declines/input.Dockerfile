FROM node:20
WORKDIR /app
COPY . .
RUN npm install
COPY docker/start.sh /usr/local/bin/start
CMD ["start"]
