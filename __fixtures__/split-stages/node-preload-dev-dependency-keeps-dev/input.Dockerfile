FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
CMD node -r ts-node/register src/index.ts
