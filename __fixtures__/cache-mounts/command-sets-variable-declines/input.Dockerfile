FROM golang:1.22
WORKDIR /src
COPY . .
RUN GOCACHE=/tmp/gocache go build -o /bin/app .
CMD ["/bin/app"]
