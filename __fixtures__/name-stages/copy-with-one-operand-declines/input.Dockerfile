FROM node:20 as build
COPY package
RUN npm install
