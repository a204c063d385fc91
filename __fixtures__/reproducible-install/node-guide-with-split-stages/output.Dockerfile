FROM node:18 AS deps

# Create app directory
WORKDIR /usr/src/app

# Install app dependencies
# A wildcard is used to ensure both package.json AND package-lock.json are copied
COPY package*.json ./

RUN npm ci --omit=dev
# If you are building your code for production
# RUN npm ci --omit=dev

FROM node:18-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app

# Bundle app source
COPY . .

EXPOSE 8080
CMD [ "node", "server.js" ]
