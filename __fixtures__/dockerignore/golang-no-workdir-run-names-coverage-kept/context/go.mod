module github.com/acme/replay

go 1.16
