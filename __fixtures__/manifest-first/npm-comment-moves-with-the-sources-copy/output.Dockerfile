FROM node:14

# Create app directory
WORKDIR /usr/src/app

COPY package-lock.json package.json ./

# Install app dependencies
RUN npm install

# Bundle app source
COPY . .

EXPOSE 3000
CMD [ "npm", "start" ]
