ARG GO_VERSION=1.17
FROM golang:${GO_VERSION}-alpine
WORKDIR /src
# The sources, then the build.
COPY . .
RUN go build -o /usr/local/bin/api .
CMD ["api"]
