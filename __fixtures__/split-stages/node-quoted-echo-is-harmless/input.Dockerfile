FROM node:20
RUN mkdir -p /usr/src/app
RUN echo "Building container"
WORKDIR /usr/src/app
COPY . .
RUN npm install
CMD ["npm", "start"]
