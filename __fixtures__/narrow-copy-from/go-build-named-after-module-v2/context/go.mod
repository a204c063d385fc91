module github.com/acme/server/v2

go 1.22
