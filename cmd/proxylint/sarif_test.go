package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/proxylint/proxylint/internal/e2etest"
)

// The SARIF 2.1.0 schema published by OASIS is not copied into this
// repository: the test takes it from a Go module that ships it in its test
// data, fetched through the module proxy like any other dependency.
const schemaModule = "github.com/securego/gosec/v2@v2.30.0"

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", schemaModule).Output()
	if err != nil {
		t.Fatalf("fetching the module that ships the SARIF schema: %v", err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download -json %s: %v: %s", schemaModule, err, out)
	}
	f, err := os.Open(filepath.Join(mod.Dir, "report", "sarif", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func TestSARIF(t *testing.T) {
	needBinary(t)
	schema := sarifSchema(t)
	// The schema does reject what is not SARIF.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"results": []}]}`))
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepted a run without a tool")
	}
	// The tool's version in SARIF is the one `proxylint version` prints.
	version := strings.Fields(e2etest.Run(t, ".", binary, "version").Stdout)[1]
	for _, tc := range []struct {
		module  string
		results int
		fixes   int
	}{
		{"fixable", 1, 1},
		{filepath.Join("traefik-11423", "before"), 1, 1}, // the logger made once, as Traefik fixed it
		{filepath.Join("traefik-11423", "after"), 0, 0},
	} {
		t.Run(tc.module, func(t *testing.T) {
			r := e2etest.Run(t, testdata(tc.module), binary, "-format=sarif", "./...")
			wantCode := 0
			if tc.results > 0 {
				wantCode = 3
			}
			if r.Code != wantCode {
				t.Fatalf("exit code %d, want %d: %s", r.Code, wantCode, r.Stderr)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(r.Stdout)))
			if err != nil {
				t.Fatalf("not JSON: %v\n%s", err, r.Stdout)
			}
			if err := schema.Validate(inst); err != nil {
				t.Fatalf("output is not valid SARIF 2.1.0: %v", err)
			}
			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Version string
							Rules   []struct{ ID, HelpURI string }
						}
					}
					Results []struct {
						RuleID    string
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
								Region           struct{ StartLine int }
							}
						}
						Fixes []json.RawMessage
					}
				}
			}
			if err := json.Unmarshal([]byte(r.Stdout), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			if run.Tool.Driver.Version != version {
				t.Errorf("tool version %q, want %q", run.Tool.Driver.Version, version)
			}
			if len(run.Tool.Driver.Rules) == 0 || !strings.Contains(run.Tool.Driver.Rules[0].HelpURI, "docs/checks/") {
				t.Errorf("rules lack their documentation links: %+v", run.Tool.Driver.Rules)
			}
			if len(run.Results) != tc.results {
				t.Fatalf("%d results, want %d", len(run.Results), tc.results)
			}
			fixes := 0
			for _, res := range run.Results {
				fixes += len(res.Fixes)
				loc := res.Locations[0].PhysicalLocation
				if res.RuleID != "logwriter" || filepath.IsAbs(loc.ArtifactLocation.URI) || loc.Region.StartLine == 0 {
					t.Errorf("bad result: %+v", res)
				}
			}
			if fixes != tc.fixes {
				t.Errorf("%d fixes, want %d", fixes, tc.fixes)
			}
		})
	}
}
