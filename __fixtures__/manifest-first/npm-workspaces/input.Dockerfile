FROM node:20
WORKDIR /repo
COPY . .
RUN npm ci && npm run build --workspaces
CMD ["node", "packages/api/dist/main.js"]
