// Package checkdoc extracts a check's documentation from the package comment
// of its doc.go, so that one text serves `proxylint help`, go vet, editors
// and the generated pages under docs/.
//
// A check's doc.go has the form
//
//	// Package logwriter defines an Analyzer that ...
//	//
//	// # Analyzer logwriter
//	//
//	// logwriter: one-line summary
//	//
//	// Incident: Traefik v2.11.18, traefik/traefik#11423.
//	//
//	// Longer text ...
//	package logwriter
//
// and the check embeds it with //go:embed doc.go.
package checkdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the text of the "# Analyzer name" section of the package
// comment in the Go source content, less the "name: " that starts it. It
// panics when the section is missing, so that a malformed doc.go fails every
// test of the check at once.
func Extract(content, name string) string {
	doc, err := extract(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go of %s has no package comment", name)
	}
	text := f.Doc.Text()
	heading := "# Analyzer " + name + "\n"
	i := strings.Index(text, heading)
	if i < 0 {
		return "", fmt.Errorf("doc.go of %s has no %q section", name, strings.TrimSpace(heading))
	}
	body := text[i+len(heading):]
	if j := strings.Index(body, "\n# "); j >= 0 {
		body = body[:j]
	}
	body = strings.TrimSpace(body)
	if !strings.HasPrefix(body, name+": ") {
		return "", fmt.Errorf("the %q section must start with %q", strings.TrimSpace(heading), name+": summary")
	}
	// As in x/tools, the Doc proper drops the "name: " prefix; drivers print
	// "name: summary" themselves.
	body = strings.TrimPrefix(body, name+": ")
	for _, label := range []string{"Bad:", "Good:"} {
		if !strings.Contains(body, "\n\n"+label) {
			return "", fmt.Errorf("the %q section of %s must have a paragraph %q with code, and one %q", strings.TrimSpace(heading), name, "Bad: ...", "Good: ...")
		}
	}
	if Incident(body) == "" {
		return "", fmt.Errorf("the %q section of %s must have, after its summary, a paragraph %q", strings.TrimSpace(heading), name, "Incident: what happened where.")
	}
	return body, nil
}

// Summary is the first paragraph of a check's Doc, on one line.
func Summary(doc string) string {
	s, _, _ := strings.Cut(doc, "\n\n")
	return strings.Join(strings.Fields(s), " ")
}

// Incident is the real incident behind a check, from the paragraph
// "Incident: ..." that follows the summary of its Doc, without the label
// and the final period; "" if there is none.
func Incident(doc string) string {
	paras := strings.SplitN(doc, "\n\n", 3)
	if len(paras) < 2 || !strings.HasPrefix(paras[1], "Incident: ") {
		return ""
	}
	s := strings.Join(strings.Fields(strings.TrimPrefix(paras[1], "Incident: ")), " ")
	return strings.TrimSuffix(s, ".")
}

// URL is the address of a check's documentation page.
func URL(name string) string {
	return "https://github.com/proxylint/proxylint/blob/main/docs/checks/" + name + ".md"
}
