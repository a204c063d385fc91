FROM node:18
COPY package.json package-lock.json ./
RUN mkdir -p logs && touch logs/app.log
RUN npm ci
COPY . .
CMD ["node", "index.js"]
