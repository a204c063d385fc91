FROM golang:1.22
WORKDIR /go
COPY . .
RUN go build
CMD ["./site"]
