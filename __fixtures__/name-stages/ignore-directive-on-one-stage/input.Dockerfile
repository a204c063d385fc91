FROM golang:1.22
RUN go build -o /out/a ./a
# stageopt ignore=name-stages
FROM golang:1.22
RUN go build -o /out/b ./b
FROM alpine
COPY --from=0 /out/a /a
COPY --from=1 /out/b /b
