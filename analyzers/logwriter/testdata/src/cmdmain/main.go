// Package main runs once: what main creates lives as long as the process.
package main

import (
	stdlog "log"

	"github.com/sirupsen/logrus"
)

func main() {
	w := logrus.StandardLogger().Writer()
	for i := 0; i < 3; i++ {
		stdlog.New(logrus.StandardLogger().Writer(), "", 0).Print(i)
	}
	_ = w
}
