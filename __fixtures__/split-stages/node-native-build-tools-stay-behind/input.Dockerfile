FROM node:20
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libvips-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
