FROM node:20
WORKDIR /app
COPY package-lock.json package.json ./
COPY prisma/schema.prisma ./prisma/
COPY patches ./patches/
RUN npm ci
COPY . .
CMD ["node", "server.js"]
