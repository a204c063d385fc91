ARG VARIANT=0
FROM node:20 AS deps
RUN npm ci
FROM node:20-slim AS runtime
COPY --from=${VARIANT} /app /app
