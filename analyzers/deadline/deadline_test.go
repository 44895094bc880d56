package deadline_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/deadline"
)

func TestServer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deadline.Analyzer, "srvhelp", "server")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deadline.Analyzer, "fix")
}

func TestConn(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deadline.Analyzer, "relayutil", "relay", "handshake", "wsproxy", "typeparams", "session", "dialer", "dialvia", "socksd", "plugind", "dnsclient", "dnsuser")
}
