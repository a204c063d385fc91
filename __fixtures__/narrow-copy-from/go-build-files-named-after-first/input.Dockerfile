FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build hello.go util.go

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=build /app /app
CMD ["./hello"]
