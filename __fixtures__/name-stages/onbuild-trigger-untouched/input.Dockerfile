FROM golang:1.22
RUN go build -o /out/tool .
FROM alpine
COPY --from=0 /out/tool /usr/local/bin/tool
ONBUILD COPY --from=0 /src /src
