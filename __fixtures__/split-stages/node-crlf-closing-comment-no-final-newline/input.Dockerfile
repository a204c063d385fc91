FROM node:20
WORKDIR /app
COPY . .
RUN npm ci \
 && npm run build

# the port the server listens on
EXPOSE 8080
CMD ["node", "dist/index.js"]

# maintained by the platform team