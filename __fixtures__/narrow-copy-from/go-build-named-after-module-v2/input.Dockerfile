FROM golang:1.22 AS build
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=build /app /app
CMD ["./server"]
