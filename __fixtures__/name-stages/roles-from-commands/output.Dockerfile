FROM python:3.12 AS deps
RUN pip install -r requirements.txt
FROM python:3.12 AS test
COPY --from=deps /usr/local /usr/local
RUN pytest -q
FROM node:20 AS build
RUN yarn install && yarn build
FROM ubuntu:24.04 AS stage-3
RUN apt-get update
FROM python:3.12-slim AS runtime
COPY --from=deps /usr/local /usr/local
COPY --from=build /app/dist /static
