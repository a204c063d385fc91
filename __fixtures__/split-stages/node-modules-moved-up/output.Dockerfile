FROM node:18 AS deps
WORKDIR /usr/src/app
COPY ["package.json", "package-lock.json*", "npm-shrinkwrap.json*", "./"]
RUN npm install --silent --omit=dev && mv node_modules ../

FROM node:18-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app
COPY --from=deps /usr/src/node_modules /usr/src/node_modules
COPY . .
EXPOSE 3000
RUN chown -R node /usr/src/app
USER node
CMD ["npm", "start"]
