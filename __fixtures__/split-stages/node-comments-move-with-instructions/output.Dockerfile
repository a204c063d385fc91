# syntax is plain: no parser directive needed
FROM node:20 AS build
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20 AS deps
WORKDIR /app
COPY package-lock.json package.json ./
RUN npm ci --omit=dev

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=deps /app /app
COPY . .
COPY --from=build /app/dist /app/dist

# Port the server listens on
EXPOSE 3000

# Start the compiled server
CMD ["node", "dist/index.js"]

# end of file
