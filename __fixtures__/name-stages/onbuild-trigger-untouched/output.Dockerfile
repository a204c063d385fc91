FROM golang:1.22 AS build
RUN go build -o /out/tool .
FROM alpine AS runtime
COPY --from=build /out/tool /usr/local/bin/tool
ONBUILD COPY --from=0 /src /src
