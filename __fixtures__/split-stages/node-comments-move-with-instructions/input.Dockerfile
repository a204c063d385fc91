# syntax is plain: no parser directive needed
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# Port the server listens on
EXPOSE 3000

# Start the compiled server
CMD ["node", "dist/index.js"]

# end of file
