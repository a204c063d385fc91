FROM node:14
COPY . .
RUN npm install
CMD ["node", "server.js"]
