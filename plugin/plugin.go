// Package plugin registers proxylint as a golangci-lint v2 module plugin
// named "proxylint".
//
// Its settings, under linters.settings.custom.proxylint.settings:
//
//	enable:  [logwriter]         # run only these checks (default: all)
//	disable: [deadline]          # run all checks but these
//	checks:                      # per-check options: the check's -<check>.<flag> flags
//	  logwriter:
//	    tests: false
//
// Unknown keys, checks and options are errors that name them. The options
// are the checks' own flags, so the standalone command, go vet -vettool and
// golangci-lint share one definition of them.
package plugin

import (
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/analyzers"
)

func init() {
	register.Plugin("proxylint", New)
}

// Settings are the plugin's settings.
type Settings struct {
	Enable  []string                  `json:"enable"`
	Disable []string                  `json:"disable"`
	Checks  map[string]map[string]any `json:"checks"`
}

type plugin struct {
	checks []*analysis.Analyzer
}

// New decodes the settings strictly and applies the checks' options.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("proxylint: %w", err)
	}
	checks, err := Configure(analyzers.All(), s)
	if err != nil {
		return nil, err
	}
	return &plugin{checks: checks}, nil
}

// Configure selects the checks the settings enable and sets their options.
func Configure(all []*analysis.Analyzer, s Settings) ([]*analysis.Analyzer, error) {
	byName := map[string]*analysis.Analyzer{}
	var names []string
	for _, a := range all {
		byName[a.Name] = a
		names = append(names, a.Name)
	}
	known := func(what string, list []string) error {
		for _, n := range list {
			if byName[n] == nil {
				return fmt.Errorf("proxylint: %s names unknown check %q (checks: %s)", what, n, strings.Join(names, ", "))
			}
		}
		return nil
	}
	if len(s.Enable) > 0 && len(s.Disable) > 0 {
		return nil, fmt.Errorf("proxylint: set enable or disable, not both")
	}
	if err := known("enable", s.Enable); err != nil {
		return nil, err
	}
	if err := known("disable", s.Disable); err != nil {
		return nil, err
	}
	checkNames := make([]string, 0, len(s.Checks))
	for name := range s.Checks {
		checkNames = append(checkNames, name)
	}
	sort.Strings(checkNames)
	if err := known("checks", checkNames); err != nil {
		return nil, err
	}
	for _, name := range checkNames {
		a := byName[name]
		opts := s.Checks[name]
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f := a.Flags.Lookup(k)
			if f == nil {
				var have []string
				a.Flags.VisitAll(func(f *flag.Flag) { have = append(have, f.Name) })
				return nil, fmt.Errorf("proxylint: check %s has no option %q (options: %s)", name, k, strings.Join(have, ", "))
			}
			v := opts[k]
			if list, ok := v.([]any); ok {
				parts := make([]string, len(list))
				for i, p := range list {
					parts[i] = fmt.Sprint(p)
				}
				v = strings.Join(parts, ",")
			}
			if err := f.Value.Set(fmt.Sprint(v)); err != nil {
				return nil, fmt.Errorf("proxylint: checks.%s.%s: %v", name, k, err)
			}
		}
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		switch {
		case len(s.Enable) > 0 && !slices.Contains(s.Enable, a.Name):
		case slices.Contains(s.Disable, a.Name):
		default:
			out = append(out, a)
		}
	}
	return out, nil
}

func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.checks, nil }

func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
