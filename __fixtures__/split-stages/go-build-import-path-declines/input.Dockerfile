FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build example.com/tools/cmd/api
CMD ["./api"]
