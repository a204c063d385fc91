FROM golang:1.22
WORKDIR /src
COPY . .
RUN go mod download
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /bin/app . || exit 1
CMD ["/bin/app"]
