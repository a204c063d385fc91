FROM node:20
WORKDIR /app
COPY . .
RUN npm ci \
 && npm run build
EXPOSE 8080
CMD ["node", "dist/index.js"]