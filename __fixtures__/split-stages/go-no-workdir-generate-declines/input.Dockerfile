FROM golang:1.22
COPY . .
RUN go generate ./... && go build -o server .
CMD ["./server"]
