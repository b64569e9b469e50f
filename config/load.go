package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxFileBytes bounds the configuration file.
const maxFileBytes = 1 << 20

// LoadFile reads the configuration file at path; see Load.
func LoadFile(path string, getenv func(string) string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	return Load(f, getenv)
}

// Load reads a YAML configuration from r, expands ${NAME} references with
// getenv, applies the PORTAL_* variables from getenv, fills defaults and
// validates. An empty r is a valid file: everything then comes from the
// environment and the defaults. Every problem is reported at once in an
// *Error.
func Load(r io.Reader, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: read: %w", err)
	}
	if len(data) > maxFileBytes {
		return nil, &Error{Problems: []Problem{{Message: fmt.Sprintf("file larger than %d bytes", maxFileBytes)}}}
	}
	var ps problems
	cfg := &Config{}
	decodeYAML(data, cfg, getenv, &ps)
	applyEnv(cfg, getenv, &ps)
	cfg.setDefaults()
	cfg.validate(&ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// decodeYAML parses data into cfg, reporting syntax errors, unknown keys,
// aliases, unset environment variables and type errors with their paths.
func decodeYAML(data []byte, cfg *Config, getenv func(string) string, ps *problems) {
	if len(bytes.TrimSpace(data)) == 0 {
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		ps.add("", 0, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		ps.add("", root.Line, "the file must hold a mapping of keys")
		return
	}
	w := walker{getenv: getenv, ps: ps, lines: map[int]string{}}
	w.walk(root, reflect.TypeOf(cfg).Elem(), "")
	if err := root.Decode(cfg); err != nil {
		w.typeErrors(err)
	}
}

// walker checks a YAML tree against the Config types before decoding.
type walker struct {
	getenv func(string) string
	ps     *problems
	lines  map[int]string // line of a value → its key path
}

var (
	secretType   = reflect.TypeOf(Secret(""))
	byteSizeType = reflect.TypeOf(ByteSize(0))
)

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.ps.add(path, n.Line, "YAML anchors and aliases are not supported")
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	w.lines[n.Line] = path
	switch {
	case n.Kind == yaml.ScalarNode:
		w.expand(n, path)
	case t.Kind() == reflect.Struct && t != byteSizeType && n.Kind == yaml.MappingNode:
		w.walkStruct(n, t, path)
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.walk(n.Content[i+1], t.Elem(), path+"."+n.Content[i].Value)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content {
			w.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func (w *walker) walkStruct(n *yaml.Node, t reflect.Type, path string) {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	kept := make([]*yaml.Node, 0, len(n.Content))
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		sub := joinPath(path, key.Value)
		ft, ok := fields[key.Value]
		if !ok {
			// Unknown keys are reported and left out, so decoding goes on.
			w.ps.add(sub, key.Line, "unknown key %q", key.Value)
			continue
		}
		w.walk(n.Content[i+1], ft, sub)
		kept = append(kept, key, n.Content[i+1])
	}
	n.Content = kept
}

var envRef = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// expand replaces ${NAME} and ${NAME:-fallback} in a scalar; $$ is a
// literal $. A plain scalar that changed is resolved again (so ${PORT} can
// fill an integer).
func (w *walker) expand(n *yaml.Node, path string) {
	if !strings.Contains(n.Value, "$") {
		return
	}
	out := envRef.ReplaceAllStringFunc(n.Value, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sub := envRef.FindStringSubmatch(m)
		if v := w.getenv(sub[1]); v != "" {
			return v
		}
		if sub[2] != "" {
			return sub[3]
		}
		w.ps.add(path, n.Line, "environment variable %s is not set", sub[1])
		return ""
	})
	if out != n.Value && n.Style == 0 {
		n.Tag = ""
	}
	n.Value = out
}

var lineRef = regexp.MustCompile(`^line (\d+): (.*)$`)

// typeErrors turns a decode error into problems with key paths.
func (w *walker) typeErrors(err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		w.ps.add("", 0, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	for _, msg := range te.Errors {
		line := 0
		if m := lineRef.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		msg = strings.Replace(msg, "cannot unmarshal", "cannot read", 1)
		w.ps.add(w.lines[line], line, "%s", msg)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
