FROM golang:1.16
COPY . .
RUN go build -o server . && go tool cover -html=/go/coverage/unit.out -o /go/report.html
CMD ["/go/server"]
