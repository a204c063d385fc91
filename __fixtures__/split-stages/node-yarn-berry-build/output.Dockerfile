FROM node:18 AS build
WORKDIR /usr/src/app
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn ./.yarn
RUN yarn install --immutable && yarn cache clean
COPY . .
RUN yarn build

FROM node:18 AS deps
WORKDIR /usr/src/app
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn ./.yarn
RUN yarn workspaces focus --all --production && yarn cache clean

FROM node:18-slim AS runtime
WORKDIR /usr/src/app
COPY --from=deps /usr/src/app /usr/src/app
COPY . .
COPY --from=build /usr/src/app/dist /usr/src/app/dist
EXPOSE 3000
CMD ["yarn", "start"]
