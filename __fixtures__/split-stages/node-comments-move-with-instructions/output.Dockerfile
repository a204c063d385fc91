# syntax is plain: no parser directive needed
FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN npm prune --omit=dev

# end of file

FROM node:20-slim AS runtime
WORKDIR /app
COPY --from=build /app /app
# Port the server listens on
EXPOSE 3000
# Start the compiled server
CMD ["node", "dist/index.js"]
