FROM circleci/node:14
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
