FROM debian:bookworm
RUN apt-get update && apt-get install -y golang-go
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
