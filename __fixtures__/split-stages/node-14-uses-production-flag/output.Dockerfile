FROM node:14 AS deps
# Create app directory
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install --production

FROM node:14-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app
COPY . .
EXPOSE 8080
CMD npm start
