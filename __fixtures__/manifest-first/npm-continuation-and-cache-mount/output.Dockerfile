FROM node:20
WORKDIR /app
COPY --chown=node:node package-lock.json package.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci
COPY --chown=node:node . .
RUN --mount=type=cache,target=/root/.npm \
    npm run build && \
    npm prune --omit=dev
CMD ["node", "dist/index.js"]
