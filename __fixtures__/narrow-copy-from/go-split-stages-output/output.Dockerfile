FROM golang:1.22 AS build
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o server .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=build /app/server /app/server
COPY --from=build /app/static /app/static
COPY --from=build /app/templates /app/templates
EXPOSE 8080
CMD ["./server"]
