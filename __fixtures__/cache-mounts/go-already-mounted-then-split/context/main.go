// A standard-library HTTP server. templates/ is parsed at start-up from the working
// directory, so the image must ship it next to the binary.
package main

import (
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
)

type page struct {
	Title     string
	GoVersion string
	Items     []string
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	tmpl := template.Must(template.ParseGlob("templates/*.html"))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		data := page{Title: "go-http", GoVersion: runtime.Version(), Items: []string{"templates/index.html", "html/template"}}
		if err := tmpl.ExecuteTemplate(w, "index.html", data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})

	addr := net.JoinHostPort(getenv("HOST", "0.0.0.0"), getenv("PORT", "8080"))
	log.Printf("go-http listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}
