package config

import (
	"errors"
	"strings"
	"testing"
)

// TestBadFileReportsEveryProblem is the acceptance test of issue 2: a bad
// file yields all of its problems at once, each with its key path.
func TestBadFileReportsEveryProblem(t *testing.T) {
	_, err := LoadFile("../testdata/config/bad.yaml", env(nil))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *config.Error, got %v", err)
	}
	want := []string{
		"listen: must be host:port",
		"public_url: must be https (plain http only on a loopback host)",
		"upstream.url: must be an absolute URL",
		"upstream.api_key: is required",
		"upstream.timeout: cannot read !!str `forever` into time.Duration (line 8)",
		`upstream.colour: unknown key "colour" (line 9)`,
		"oidc.issuer: must be an absolute URL",
		"oidc.client_id: is required",
		"oidc.client_secret: is required",
		"oidc.scopes: must include openid",
		"oidc.signing_algs[1]: must be one of",
		"oidc.signing_algs[2]: must be one of",
		"redis.url: must be a redis://, rediss:// or unix:// URL",
		"session.secret: must be at least 32 bytes",
		"session.idle_ttl: must not exceed session.ttl",
		"webhook.secret: must be at least 16 bytes",
		"cache.ttl: must be between 1s and 1h0m0s",
		"share.case[0].tag: unknown placeholder {mail}",
		"share.case[1].tag: must contain literal text",
		"share.case[2].native_external: is not a condition of case rules",
		"share.case[3]: must set exactly one of native_access, tag",
		"share.attachment[0].case_tag: must contain {id}",
		"view.fields.case: must include _id",
		"view.fields.case[2]: tags is built by the portal",
		`view.fields.case[3]: "a.b" is not a plain field name`,
		"markers.attachment_case_tag: no share.attachment case_tag rule matches it",
		"markers.case_user: must start with one of markers.reserved_tag_prefixes",
		`profiles.default: must be "none" or a profile in profiles.definitions`,
		"profiles.definitions.Helpdesk: profile names are lower-case",
		"profiles.definitions.Helpdesk.writes[1]: must be one of comment, attachment, observable, case",
		"inputs.case_fields: must include description",
		`inputs.case_fields[1]: "assignee" cannot be allowed`,
		`inputs.observable_types[0]: "ip address" is not a data type name`,
		"limits.max_body_bytes: not a size",
		"limits.max_page_size: must be between 1 and 10000",
		"log.level: must be one of debug, info, warn, error",
		"admin.pprof: needs admin.listen",
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if len(ce.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(ce.Problems), len(want), got)
	}
	for _, p := range ce.Problems {
		if p.Path == "" {
			t.Errorf("problem without a key path: %s", p)
		}
	}
}

func TestSyntaxAndDuplicateKeys(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"duplicate key": {"listen: ':1'\nlisten: ':2'\n", `mapping key "listen" already defined at line 1`},
		"syntax":        {"listen: [\n", "line 1: did not find expected node content"},
		"not a mapping": {"- a\n- b\n", "the file must hold a mapping of keys"},
		"alias":         {"a: &x 1\nlisten: *x\n", "anchors and aliases are not supported"},
		"nested unknown": {"share:\n  case:\n    - tag: 'portal:u={email}'\n      colour: red\n",
			`share.case[0].colour: unknown key "colour" (line 4)`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tc.yaml), env(minimalEnv()))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want %q in error, got %v", tc.want, err)
			}
		})
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	c := Default()
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "upstream.url: is required") {
		t.Fatalf("defaults alone must not validate: %v", err)
	}
	c.PublicURL, c.Upstream.URL, c.Upstream.APIKey = "http://127.0.0.1:8080", "http://127.0.0.1:9000", "k"
	c.OIDC.Issuer, c.OIDC.ClientID, c.OIDC.ClientSecret = "http://localhost:5556", "portal", "s"
	c.Session.Secret = Secret(strings.Repeat("x", 32))
	if err := c.Validate(); err != nil {
		t.Errorf("loopback http config must validate: %v", err)
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"1024": 1024, "10MiB": 10 << 20, "1.5 KiB": 1536, "2MB": 2000000, "7B": 7} {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "ten", "1e30GiB", "5 furlongs"} {
		if _, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) accepted", in)
		}
	}
	if s := ByteSize(32 << 20).String(); s != "32MiB" {
		t.Errorf("String = %q", s)
	}
}

func TestMatchPattern(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"portal:by=*", "portal:by=a@b.c", true},
		{"portal:by=*", "portal:by=", true},
		{"portal:by=*", "xportal:by=a", false},
		{"tlp:*", "tlp:amber", true},
		{"*:public", "case:public", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"*a*a*a*a*a*a*b", strings.Repeat("a", 5000), false},
	} {
		if got := MatchPattern(tc.p, tc.s); got != tc.want {
			t.Errorf("MatchPattern(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}
