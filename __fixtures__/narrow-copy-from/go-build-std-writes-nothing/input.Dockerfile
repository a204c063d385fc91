FROM golang:1.10 AS build
WORKDIR /go/src/github.com/acme/greeter
RUN CGO_ENABLED=0 go build std
COPY . .
RUN CGO_ENABLED=0 go build

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /go/src/github.com/acme/greeter
COPY --from=build /go/src/github.com/acme/greeter /go/src/github.com/acme/greeter
CMD ["./greeter"]
