FROM node:20 AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libvips-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libvips42 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app /app
COPY . .
CMD ["node", "index.js"]
