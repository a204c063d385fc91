FROM node:20
RUN useradd -m app
USER app
WORKDIR /home/app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
