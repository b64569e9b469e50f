package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

func TestReads(t *testing.T) {
	cfg, err := config.Load(strings.NewReader(""), minimalEnv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[config.Kind][]string{
		config.KindCase:       {"_id", "_type", "access", "tags"},
		config.KindComment:    {"_id", "_type", "message", "external"},
		config.KindAttachment: {"_id", "_type", "external"},
	} {
		got := e.Reads(kind)
		for _, f := range want {
			if !slices.Contains(got, f) {
				t.Errorf("%s: %s missing from %v", kind, f, got)
			}
		}
	}
}

// TestMemberNames: each member's name maps back to it.
func TestMemberNames(t *testing.T) {
	for m := range numMembers {
		if memberOf(memberNames[m]) != m {
			t.Errorf("member %d: name %q", m, memberNames[m])
		}
	}
}
