FROM node:20 AS build

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

ENV NODE_ENV=production

FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime

LABEL org.opencontainers.image.source="https://example.com/api"
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=deps /app /app
COPY . .
COPY --from=build /app/dist /app/dist
ENV NODE_ENV=production
EXPOSE 3000

# The orchestrator restarts the container when this fails.
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:3000/health || exit 1

USER node
CMD ["npm", "start"]
