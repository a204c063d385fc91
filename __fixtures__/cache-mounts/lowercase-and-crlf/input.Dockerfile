from node:20
workdir /app
copy . .
run npm install
cmd ["node", "app.js"]
