ARG VARIANT=0
FROM node:20
RUN npm ci
FROM node:20-slim
COPY --from=${VARIANT} /app /app
