package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Path is the key path, e.g. "oidc.issuer" or "share.case[2].tag".
	Path string
	// Line is the line in the YAML file, 0 when unknown (a default or an
	// environment variable).
	Line int
	// Message says what is wrong, e.g. "must be an absolute URL".
	Message string
}

// String formats the problem as "path: message (line N)".
func (p Problem) String() string {
	s := p.Message
	if p.Path != "" {
		s = p.Path + ": " + s
	}
	if p.Line > 0 {
		s += fmt.Sprintf(" (line %d)", p.Line)
	}
	return s
}

// Error lists every problem found in a configuration.
type Error struct {
	Problems []Problem
}

// Error prints one problem per line, sorted by line then path.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "config: " + fmt.Sprint(len(lines)) + " problem(s):\n  " + strings.Join(lines, "\n  ")
}

// problems collects problems while loading and validating.
type problems struct {
	list []Problem
}

func (ps *problems) add(path string, line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) has(path string) bool {
	for _, p := range ps.list {
		if p.Path == path {
			return true
		}
	}
	return false
}

// err returns nil without problems, else an *Error with them sorted.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := append([]Problem(nil), ps.list...)
	sort.SliceStable(list, func(i, j int) bool {
		if (list[i].Line == 0) != (list[j].Line == 0) {
			return list[i].Line != 0
		}
		if list[i].Line != list[j].Line {
			return list[i].Line < list[j].Line
		}
		return list[i].Path < list[j].Path
	})
	return &Error{Problems: list}
}
