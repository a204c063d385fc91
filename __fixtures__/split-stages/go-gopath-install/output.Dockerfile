FROM golang:1.12 AS build

WORKDIR /go/src/app
RUN CGO_ENABLED=0 go build std
COPY . .

RUN go get -d -v ./...
RUN CGO_ENABLED=0 go install -v ./...

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /go/src/app
COPY --from=build /go/src/app /go/src/app
COPY --from=build /go/bin/app /go/bin/app
ENV PATH="/go/bin:$PATH"

CMD ["app"]
