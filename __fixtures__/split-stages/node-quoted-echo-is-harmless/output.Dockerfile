FROM node:20 AS deps
RUN mkdir -p /usr/src/app
RUN echo "Building container"
WORKDIR /usr/src/app
COPY package.json ./
RUN npm install --omit=dev

FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app
COPY . .
CMD ["npm", "start"]
