FROM node:16 AS deps
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install

FROM node:16-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app
COPY . .
EXPOSE 3000
CMD [ "npm", "start" ]
