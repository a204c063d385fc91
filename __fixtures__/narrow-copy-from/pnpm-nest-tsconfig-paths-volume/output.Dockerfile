FROM node:20-alpine AS build
RUN corepack enable
WORKDIR /srv/api
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build && pnpm prune --prod && mkdir -p uploads

FROM node:20-alpine
WORKDIR /srv/api
ENV UPLOAD_DIR=/srv/api/uploads
COPY --from=build --chmod=755 /srv/api/tsconfig.json /srv/api/package.json /srv/api/pnpm-lock.yaml ./
COPY --from=build --chmod=755 /srv/api/node_modules ./node_modules
COPY --from=build --chmod=755 /srv/api/dist ./dist
COPY --from=build --chmod=755 /srv/api/uploads ./uploads
VOLUME /srv/api/uploads
USER node
CMD ["node", "-r", "tsconfig-paths/register", "dist/main"]
