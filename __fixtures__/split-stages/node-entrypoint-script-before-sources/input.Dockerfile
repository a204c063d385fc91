FROM node:20
WORKDIR /app
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
COPY . .
RUN npm ci
ENTRYPOINT ["entrypoint.sh"]
