FROM node:18
WORKDIR /monorepo
COPY . .
RUN yarn install --frozen-lockfile && yarn workspace api build
CMD ["node", "packages/api/dist/index.js"]
