FROM golang:1.22 AS build

COPY . .

RUN CGO_ENABLED=0 go build -o server .

FROM golang:1.22 AS gopath
RUN mkdir /gopath && cp -a /go /gopath/

FROM gcr.io/distroless/static-debian12 AS runtime
COPY --from=gopath /gopath/ /
WORKDIR /go
COPY . .
COPY --from=build /go/server /go/server

EXPOSE 8080
CMD ["./server"]
