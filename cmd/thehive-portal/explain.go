package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/thehive-portal/thehive-portal/explain"
	"github.com/thehive-portal/thehive-portal/proxy"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return fmt.Sprint([]string(*l)) }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// explainCmd previews a case as one external user would see it: for each
// case field, tag, custom field, comment, attachment and observable,
// shown or hidden and why.
func explainCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file (default: environment variables only)")
	user := fs.String("user", "", "email of the external user (required)")
	caseID := fs.String("case", "", "case: ~<id> or case number (required)")
	asJSON := fs.Bool("json", false, "print JSON instead of tables")
	var groups stringList
	fs.Var(&groups, "group", "SSO group of the user (repeatable)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 || *user == "" || *caseID == "" {
		return usageError{"usage: thehive-portal explain --user EMAIL [--group G]... --case ID [--config FILE] [--json]"}
	}
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		return err
	}
	x, err := proxy.NewExplainer(cfg, nil, version)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	r, err := x.Explain(ctx, explain.Viewer{Email: *user, Groups: groups}, *caseID)
	if errors.Is(err, proxy.ErrBadExplainInput) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	return writeReport(stdout, r, *asJSON)
}

// writeReport prints the report as indented JSON or as tables.
func writeReport(w io.Writer, r *explain.Report, asJSON bool) error {
	if !asJSON {
		return r.WriteText(w)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
