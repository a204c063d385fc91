ARG GO_VERSION=1.17
FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
RUN CGO_ENABLED=0 go build std
# The sources, then the build.
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /src
COPY --from=build /src /src
COPY --from=build /usr/local/bin/api /usr/local/bin/api
CMD ["api"]
