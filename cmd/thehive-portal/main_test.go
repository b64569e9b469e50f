package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestCheckConfigExample(t *testing.T) {
	out, _, err := runCmd(t, nil, "check-config", "--config", "../../testdata/config.example.yaml")
	if err != nil || !strings.Contains(out, "configuration ok") {
		t.Fatalf("example: %q %v", out, err)
	}
}

func TestCheckConfigListsEveryProblem(t *testing.T) {
	_, _, err := runCmd(t, nil, "check-config", "--config", "../../testdata/config/bad.yaml")
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("bad config accepted: %v", err)
	}
	for _, want := range []string{"oidc.issuer: must be an absolute URL", `upstream.colour: unknown key "colour" (line 9)`, "log.level"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestCheckConfigFromEnvironmentOnly(t *testing.T) {
	_, _, err := runCmd(t, map[string]string{"PORTAL_PUBLIC_URL": "https://p.example.com"}, "check-config")
	if err == nil || !strings.Contains(err.Error(), "upstream.url: is required") {
		t.Fatalf("want the missing values listed, got %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"check-config", "--nope"}, {"check-config", "extra"}} {
		if _, _, err := runCmd(t, nil, args...); err == nil || exitCode(err) != 2 {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
	out, _, err := runCmd(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "thehive-portal ") {
		t.Errorf("version: %q %v", out, err)
	}
}
