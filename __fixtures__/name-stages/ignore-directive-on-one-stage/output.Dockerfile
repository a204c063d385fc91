FROM golang:1.22 AS build
RUN go build -o /out/a ./a
# stageopt ignore=name-stages
FROM golang:1.22
RUN go build -o /out/b ./b
FROM alpine AS runtime
COPY --from=build /out/a /a
COPY --from=1 /out/b /b
