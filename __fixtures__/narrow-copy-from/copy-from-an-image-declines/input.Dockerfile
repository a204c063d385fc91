FROM node:lts AS development
WORKDIR /code
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["npm", "start"]

FROM development AS dev-envs
# install Docker tools (cli, buildx, compose)
COPY --from=gloursdocker/docker / /
CMD ["npm", "start"]
