from golang:1.22 as build
run go build -o /app .
from alpine:3.20
copy --from=build /app /app
