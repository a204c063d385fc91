FROM node:18
WORKDIR /monorepo
COPY package.json yarn.lock ./
COPY packages/api/package.json ./packages/api/
COPY packages/common/package.json ./packages/common/
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn workspace api build
CMD ["node", "packages/api/dist/index.js"]
