FROM node:20 AS deps
WORKDIR /app
COPY package*.json ./
RUN npm install

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["npm", "start"]
