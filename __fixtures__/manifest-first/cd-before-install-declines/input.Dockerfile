FROM node:20
WORKDIR /app
COPY . .
RUN cd frontend && npm ci && npm run build
