FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build ./cmd/api

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=build /app/api /app/api
CMD ["./api"]
