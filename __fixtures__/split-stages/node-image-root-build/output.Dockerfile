FROM node:20 AS build
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20 AS deps
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
COPY --from=deps /node_modules /node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY . .
COPY --from=build /dist /dist
CMD ["node", "dist/main.js"]
