FROM golang:1.22
WORKDIR /src
COPY . .
RUN go mod download
RUN cp -r /go/pkg/mod/github.com/acme/assets ./assets
RUN go build -o /bin/app .
CMD ["/bin/app"]
