FROM node:20
WORKDIR /app
COPY .yarnrc.yml package.json yarn.lock ./
COPY .yarn/plugins ./.yarn/plugins/
COPY .yarn/releases ./.yarn/releases/
RUN corepack enable && yarn install --immutable
COPY . .
RUN yarn build
CMD ["node", "dist/main.js"]
