FROM node:20
RUN npm install -g pm2@5
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["pm2-runtime", "dist/index.js"]
