FROM golang:1.22
ENV GOCACHE=off
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
CMD ["/bin/app"]
