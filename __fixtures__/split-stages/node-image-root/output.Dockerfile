FROM node:16 AS deps

COPY package*.json ./

RUN npm install --omit=dev

FROM node:16-slim AS runtime
COPY --from=deps /node_modules /node_modules
COPY --from=deps /package-lock.json /package-lock.json
COPY package*.json ./

COPY . .

EXPOSE 3000
CMD npm start
