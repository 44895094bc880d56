package wsproxy

import (
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

var upgrader websocket.Upgrader

// A websocket-to-TCP bridge: messages are copied to the backend forever.
func bridge(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	up, err := net.Dial("tcp", "backend:22")
	if err != nil {
		return
	}
	defer up.Close()
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if _, err := up.Write(msg); err != nil { // want `a loop of websocket.Conn.ReadMessage and net.Conn.Write copies between the connection dialed by net.Dial at wsproxy.go:20 and the websocket from websocket.Upgrader.Upgrade`
			return
		}
	}
}

func bridgeFixed(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	up, err := net.Dial("tcp", "backend:22")
	if err != nil {
		return
	}
	defer up.Close()
	for {
		ws.SetReadDeadline(time.Now().Add(time.Minute))
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if _, err := up.Write(msg); err != nil {
			return
		}
	}
}
