FROM node:20
WORKDIR /repo
COPY package-lock.json package.json ./
COPY packages/api/package.json ./packages/api/
COPY packages/shared/package.json ./packages/shared/
RUN npm ci
COPY . .
RUN npm run build --workspaces
CMD ["node", "packages/api/dist/main.js"]
