FROM golang:1.22
RUN go build -o /app .
FROM alpine
COPY --from=0 /app /app