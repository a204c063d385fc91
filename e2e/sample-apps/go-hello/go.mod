module example.com/stageopt-e2e/go-hello

go 1.22
