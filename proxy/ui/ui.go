package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/*
var staticFiles embed.FS

// pages are the page templates; each defines "content" (and may define
// "scripts") for templates/layout.html.
var pages = []string{"signin", "message", "cases", "case", "newcase"}

// Renderer renders the portal's pages. Build it once with New; it is safe
// for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	assets map[string]Asset
}

// Asset is one embedded static file.
type Asset struct {
	// Name is the file name, served at /static/<Name>.
	Name        string
	ContentType string
	Body        []byte
	// Version is a hash of Body; pages link to /static/<Name>?v=<Version>,
	// so the asset may be cached for long.
	Version string
}

// New loads the assets and parses every template. An error here is a
// startup error.
func New() (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, assets: map[string]Asset{}}
	if err := r.loadAssets(); err != nil {
		return nil, err
	}
	base, err := template.New("").Funcs(r.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/part_*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: %w", err)
	}
	for _, p := range pages {
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(templateFiles, "templates/"+p+".html")
		}
		if err != nil {
			return nil, fmt.Errorf("ui: page %s: %w", p, err)
		}
		r.pages[p] = t
	}
	return r, nil
}

func (r *Renderer) loadAssets() error {
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
	entries, err := fs.ReadDir(staticFiles, "static")
	if err != nil {
		return fmt.Errorf("ui: %w", err)
	}
	for _, e := range entries {
		body, err := staticFiles.ReadFile("static/" + e.Name())
		ct := types[path.Ext(e.Name())]
		if err != nil || ct == "" {
			return fmt.Errorf("ui: asset %s: unreadable or of an unknown type", e.Name())
		}
		sum := sha256.Sum256(body)
		r.assets[e.Name()] = Asset{Name: e.Name(), ContentType: ct, Body: body, Version: hex.EncodeToString(sum[:6])}
	}
	return nil
}

// Render writes the page of v. The page is rendered into memory first: on
// an error nothing has been written.
func (r *Renderer) Render(w io.Writer, v View) error {
	t := r.pages[v.page()]
	if t == nil {
		return fmt.Errorf("ui: no page %q", v.page())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("ui: render %s: %w", v.page(), err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Assets returns the static files, by name.
func (r *Renderer) Assets() []Asset {
	out := make([]Asset, 0, len(r.assets))
	for _, a := range r.assets {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": r.assetURL,
		"date":  formatDate,
		"iso":   formatISO,
		"bytes": FormatBytes,
	}
}

// assetURL is the versioned path of an asset; an unknown name fails the
// page (caught by the tests of every page).
func (r *Renderer) assetURL(name string) (string, error) {
	a, ok := r.assets[name]
	if !ok {
		return "", fmt.Errorf("ui: no asset %q", name)
	}
	return "/static/" + a.Name + "?v=" + a.Version, nil
}
