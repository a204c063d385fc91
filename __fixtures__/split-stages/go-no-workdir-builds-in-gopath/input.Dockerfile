FROM golang:1.22

COPY . .

RUN go build -o server .

EXPOSE 8080
CMD ["./server"]
