FROM node:20
RUN apt-get update && apt-get install -y libfoo-dev
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
