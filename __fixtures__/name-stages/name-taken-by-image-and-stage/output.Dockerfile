FROM golang:1.22 AS build-2
RUN go build -o /out/app .
FROM alpine AS runtime
COPY --from=build:1.0 /etc/motd /etc/motd
FROM scratch AS runtime-2
COPY --from=build-2 /out/app /app
COPY --from=runtime /etc/motd /etc/motd
