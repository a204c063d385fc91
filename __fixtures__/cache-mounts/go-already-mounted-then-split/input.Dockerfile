FROM golang:1.22

WORKDIR /app

COPY . .

RUN --mount=type=cache,target=/root/.cache/go-build go build -o server .

EXPOSE 8080

CMD ["./server"]
