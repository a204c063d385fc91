from node:20
workdir /app
copy . .
run --mount=type=cache,target=/root/.npm npm install
cmd ["node", "app.js"]
