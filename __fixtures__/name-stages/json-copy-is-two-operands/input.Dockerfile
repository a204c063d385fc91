FROM node:20 as build
COPY ["package.json","package_lock.json*","./"]
RUN npm install
