FROM node:20 AS build
RUN mkdir -p /usr/src/app
RUN echo "Building container"
WORKDIR /usr/src/app
COPY . .
RUN npm install
RUN npm prune --omit=dev

FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --from=build /usr/src/app /usr/src/app
CMD ["npm", "start"]
