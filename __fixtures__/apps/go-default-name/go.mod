module github.com/example/quotes

go 1.22
