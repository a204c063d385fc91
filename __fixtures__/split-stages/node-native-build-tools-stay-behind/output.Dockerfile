FROM node:20 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libvips-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm prune --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libvips42 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
CMD ["node", "index.js"]
