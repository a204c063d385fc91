FROM node:20 AS build
COPY ["package.json","package_lock.json*","./"]
RUN npm install
