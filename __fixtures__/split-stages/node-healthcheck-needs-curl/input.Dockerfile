FROM node:20

LABEL org.opencontainers.image.source="https://example.com/api"

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

ENV NODE_ENV=production
EXPOSE 3000

# The orchestrator restarts the container when this fails.
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:3000/health || exit 1

USER node
CMD ["npm", "start"]
