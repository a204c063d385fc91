FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["npm", "start"]
