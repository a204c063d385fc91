FROM node:18 AS build

WORKDIR /usr/src/app

COPY package*.json ./
RUN npm install

COPY . .
RUN npm run build

RUN npm install -g serve

FROM node:18-slim AS runtime
WORKDIR /usr/src/app
RUN npm install -g serve
COPY --from=build /usr/src/app/build /usr/src/app/build
EXPOSE 3000
CMD ["serve", "-s", "build", "-l", "3000"]
