FROM python:3.12
RUN pip install -r requirements.txt
FROM python:3.12
COPY --from=0 /usr/local /usr/local
RUN pytest -q
FROM node:20
RUN yarn install && yarn build
FROM ubuntu:24.04
RUN apt-get update
FROM python:3.12-slim
COPY --from=0 /usr/local /usr/local
COPY --from=2 /app/dist /static
