FROM golang:1.21 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go install ./...

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /src
COPY --from=build /src /src
COPY --from=build /go/bin/api /go/bin/api
COPY --from=build /go/bin/worker /go/bin/worker
ENV PATH="/go/bin:$PATH"
CMD ["api"]
