FROM node:20.11-bookworm AS build
WORKDIR /srv/app
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20.11-bookworm AS deps
WORKDIR /srv/app
COPY package-lock.json package.json ./
RUN npm ci --omit=dev

FROM node:20.11-bookworm-slim AS runtime
WORKDIR /srv/app
COPY --from=deps /srv/app /srv/app
COPY . .
COPY --from=build /srv/app/dist /srv/app/dist
CMD ["node", "dist/index.js"]
