FROM node:18
WORKDIR /app
COPY . .
RUN npm install
CMD npx serve -s build
