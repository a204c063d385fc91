package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

func main() {
	raw, err := os.ReadFile("data/quotes.json")
	if err != nil {
		log.Fatal(err)
	}
	var quotes []string
	if err := json.Unmarshal(raw, &quotes); err != nil {
		log.Fatal(err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	http.HandleFunc("/quotes", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"count": len(quotes), "first": quotes[0]})
	})
	log.Fatal(http.ListenAndServe(os.Getenv("HOST")+":"+port, nil))
}
