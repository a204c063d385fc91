FROM node:20
WORKDIR /app
COPY --chown=node:node . .
RUN --mount=type=cache,target=/root/.npm \
    npm ci && \
    npm run build && \
    npm prune --omit=dev
CMD ["node", "dist/index.js"]
