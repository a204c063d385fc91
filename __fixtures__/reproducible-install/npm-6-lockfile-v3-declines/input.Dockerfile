FROM node:14

# Create app directory
WORKDIR /usr/src/app

COPY package*.json ./

RUN npm install
# For production use instead:
# RUN npm ci --only=production

COPY . .

EXPOSE 8080
CMD npm start
