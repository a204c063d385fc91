ARG BASE=build
FROM golang:1.22
RUN go build -o /out/app .
FROM ${BASE}
COPY --from=0 /out/app /app
