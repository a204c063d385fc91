package main

import (
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
)

type page struct {
	Dir  string
	Mode string
	Exe  string
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	host := os.Getenv("HOST")
	tmpl := template.Must(template.ParseFiles("templates/index.html"))

	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The working folder and its mode: the golang image's /go is world-writable (1777),
		// which a process running as another user relies on to write beside the app.
		dir, _ := os.Getwd()
		info, err := os.Stat(dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		exe, _ := os.Executable()
		if err := tmpl.Execute(w, page{Dir: dir, Mode: info.Mode().String(), Exe: exe}); err != nil {
			log.Print(err)
		}
	})
	log.Fatal(http.ListenAndServe(host+":"+port, nil))
}
