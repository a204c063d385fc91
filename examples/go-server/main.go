package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"
)

type status struct {
	Service string `json:"service"`
	Started string `json:"started"`
	Banner  string `json:"banner"`
}

func main() {
	port := getenv("PORT", "8080")
	host := getenv("HOST", "0.0.0.0")
	started := time.Now().UTC().Format(time.RFC3339)

	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	// The banner is read from the working directory on every request, so the image must ship static/.
	mux.HandleFunc("/api/status", func(w http.ResponseWriter, r *http.Request) {
		banner, err := os.ReadFile("static/banner.txt")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(status{Service: "go-server", Started: started[:4], Banner: string(banner)})
	})

	addr := host + ":" + port
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
