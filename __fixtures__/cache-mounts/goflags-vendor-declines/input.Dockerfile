FROM golang:1.22
ENV GOFLAGS=-mod=vendor
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
CMD ["/bin/app"]
