package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	host := os.Getenv("HOST")
	greeting, err := os.ReadFile(filepath.Join("templates", "greeting.txt"))
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		exe, _ := os.Executable()
		fmt.Fprintf(w, "%s from %s\n", strings.TrimSpace(string(greeting)), exe)
	})
	log.Fatal(http.ListenAndServe(host+":"+port, nil))
}
