ARG APP_DIR=/app
FROM golang:1.22 AS build
ARG BIN=server
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o ${BIN} .

FROM gcr.io/distroless/static-debian12
ARG APP_DIR
WORKDIR /app
COPY --from=build /app /app
COPY --from=build ${APP_DIR} .
CMD ["./server"]
