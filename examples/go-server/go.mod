module github.com/example/go-server

go 1.22
