// Package greeting renders the hello page. It is imported as "app/greeting", a path that only
// resolves in GOPATH mode, where the app lives in $GOPATH/src/app.
package greeting

import (
	"io"
	"io/ioutil"
	"os"
	"runtime"
	"text/template"
)

type Page struct {
	tmpl *template.Template
}

// Load parses the template from the working folder.
func Load(file string) (*Page, error) {
	text, err := ioutil.ReadFile(file)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New(file).Parse(string(text))
	if err != nil {
		return nil, err
	}
	return &Page{tmpl: tmpl}, nil
}

func (p *Page) Render(w io.Writer, name string) error {
	if name == "" {
		name = "gopher"
	}
	exe, _ := os.Executable()
	return p.tmpl.Execute(w, map[string]string{"Name": name, "Exe": exe, "Go": runtime.Version()})
}
