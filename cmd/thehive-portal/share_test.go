package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// shareRun runs share or unshare against sim with the analyst's key.
func shareRun(t *testing.T, sim *thehivetest.Server, key string, args ...string) (string, error) {
	t.Helper()
	env := map[string]string{"THEHIVE_API_KEY": key}
	out, _, err := runCmd(t, env, append(args[:1:1], append([]string{"--url", sim.URL}, args[1:]...)...)...)
	return out, err
}

func tagsOf(t *testing.T, sim *thehivetest.Server, id string) []string {
	t.Helper()
	c, ok := sim.Case(id)
	if !ok {
		t.Fatalf("no case %s", id)
	}
	return c.Tags
}

func TestShareAndUnshareUser(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	const tag = "portal:user=bob@client.example.com"
	steps := []struct {
		cmd, want string
		present   bool
	}{
		{"share", "shared with user bob@client.example.com: added tag " + tag, true},
		{"share", "already shared with user bob@client.example.com: tag " + tag + " is present", true},
		{"unshare", "no longer shared with user bob@client.example.com: removed tag " + tag, false},
		{"unshare", "was not shared with user bob@client.example.com: no tag " + tag, false},
	}
	for _, s := range steps {
		out, err := shareRun(t, sim, thehivetest.AnalystKey, s.cmd, "--case", "50", "--user", "Bob@Client.example.com")
		if err != nil {
			t.Fatalf("%s: %v", s.cmd, err)
		}
		if !strings.HasPrefix(out, "Case #50 (~42701): ") || !strings.Contains(out, s.want) {
			t.Errorf("%s: output\n%s\nwant %q", s.cmd, out, s.want)
		}
		if got := slices.Contains(tagsOf(t, sim, thehivetest.CaseInternalID), tag); got != s.present {
			t.Errorf("after %s: tag present %v", s.cmd, got)
		}
	}
	// The other tags stayed, and TheHive recorded the analyst, not the
	// portal's service account.
	if tags := tagsOf(t, sim, thehivetest.CaseInternalID); !slices.Contains(tags, "portal:attachment=~42721") {
		t.Errorf("other tags lost: %v", tags)
	}
	for _, r := range sim.Requests() {
		if r.Method == "PATCH" && r.Header.Get("Authorization") != "Bearer "+thehivetest.AnalystKey {
			t.Errorf("PATCH sent with %q", r.Header.Get("Authorization"))
		}
	}
}

func TestShareGroupDomainAndAttachments(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	out, err := shareRun(t, sim, thehivetest.AnalystKey, "share", "--case", thehivetest.CaseInternalID,
		"--group", "hr-partners", "--attachment", "~42722", "--attachment", "~42721")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"shared with group hr-partners: added tag portal:group=hr-partners",
		"attachment ~42722 marked external: added tag portal:attachment=~42722",
		"attachment ~42721 already external: tag portal:attachment=~42721 is present"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if out, err = shareRun(t, sim, thehivetest.AnalystKey, "share", "--case", "50", "--domain", "Client.Example.com"); err != nil ||
		!slices.Contains(tagsOf(t, sim, thehivetest.CaseInternalID), "portal:domain=client.example.com") {
		t.Errorf("domain: %v\n%s", err, out)
	}
	out, err = shareRun(t, sim, thehivetest.AnalystKey, "unshare", "--case", "50", "--attachment", "~42721")
	if err != nil || !strings.Contains(out, "attachment ~42721 no longer external") ||
		!strings.Contains(out, "note: attachment ~42721 has TheHive's native external flag") {
		t.Errorf("unshare attachment: %v\n%s", err, out)
	}
	out, err = shareRun(t, sim, thehivetest.AnalystKey, "unshare", "--case", "42", "--user", thehivetest.JaneEmail)
	if err != nil || !strings.Contains(out, "was not shared with user") || !strings.Contains(out, "native access (5.6) still shares") {
		t.Errorf("unshare with native access: %v\n%s", err, out)
	}
}

func TestShareErrors(t *testing.T) {
	sim := thehivetest.NewServer(t, thehivetest.WithSeed())
	for _, tc := range []struct {
		key  string
		args []string
		code int
		want string
	}{
		{"wrong-key", []string{"share", "--case", "50", "--user", "bob@client.example.com"}, 1, "TheHive refused the API key in THEHIVE_API_KEY"},
		{"", []string{"share", "--case", "50", "--user", "bob@client.example.com"}, 1, "THEHIVE_API_KEY is not set"},
		// The example configuration's service key (its ${…:-fallback}).
		{"example-service-key", []string{"share", "--case", "50", "--user", "bob@client.example.com", "--config", "../../testdata/config.example.yaml"}, 1, "is the portal's service key"},
		{thehivetest.ReaderKey, []string{"share", "--case", "50", "--user", "bob@client.example.com"}, 1, "may not do this (403"},
		{thehivetest.AnalystKey, []string{"share", "--case", "999", "--user", "bob@client.example.com"}, 1, "case 999 not found"},
		{thehivetest.AnalystKey, []string{"share", "--case", "50", "--attachment", "~41400"}, 1, "is not an attachment of case #50"},
		{thehivetest.AnalystKey, []string{"share", "--case", "50", "--user", "bob"}, 2, "not an email address"},
		{thehivetest.AnalystKey, []string{"share", "--case", "50", "--domain", "-bad-.example"}, 2, "not a domain name"},
		{thehivetest.AnalystKey, []string{"share", "--case", "#50", "--user", "bob@client.example.com"}, 2, "use ~<id> or a case number"},
		{thehivetest.AnalystKey, []string{"share", "--case", "50", "--attachment", "42"}, 2, "~<digits>"},
		{thehivetest.AnalystKey, []string{"share", "--case", "50", "--user", "a@b.example", "--group", "g"}, 2, "usage"},
		{thehivetest.AnalystKey, []string{"unshare", "--case", "50"}, 2, "usage"},
	} {
		_, err := shareRun(t, sim, tc.key, tc.args...)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v (exit %d), want exit %d with %q", tc.args, err, exitCode(err), tc.code, tc.want)
		}
	}
	if slices.ContainsFunc(tagsOf(t, sim, thehivetest.CaseInternalID), func(s string) bool { return strings.Contains(s, "bob@") }) {
		t.Error("a refused command changed the tags")
	}
}
