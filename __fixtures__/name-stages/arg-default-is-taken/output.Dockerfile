ARG BASE=build
FROM golang:1.22 AS build-2
RUN go build -o /out/app .
FROM ${BASE} AS runtime
COPY --from=build-2 /out/app /app
