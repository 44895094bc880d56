package main

import (
	"net/http"

	"example.com/depsite/lib/logs"
)

func main() {
	http.ListenAndServe("localhost:8080", logs.Handler(nil))
}
