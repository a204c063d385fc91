FROM golang:1.22
RUN go build -o /out/app .
FROM alpine AS runtime
COPY --from=build:1.0 /etc/motd /etc/motd
FROM scratch
COPY --from=0 /out/app /app
COPY --from=runtime /etc/motd /etc/motd
