# stageopt ignore-file
FROM golang:1.22 as build
RUN go build -o /app .
FROM alpine
COPY --from=0 /app /app
