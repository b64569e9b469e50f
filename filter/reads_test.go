package filter

import (
	"slices"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

func TestReads(t *testing.T) {
	cfg := testConfig()
	cfg.View.CaseCustomFields = nil
	s := mustNew(t, cfg)
	got := s.Reads(config.KindCase)
	for _, f := range append(cfg.View.Fields.Case, "tags") {
		if !slices.Contains(got, f) {
			t.Errorf("case: %s missing from %v", f, got)
		}
	}
	if slices.Contains(got, "customFields") {
		t.Errorf("case without custom fields shown reads customFields: %v", got)
	}
	cfg.View.CaseCustomFields = []string{"business-unit"}
	if got := mustNew(t, cfg).Reads(config.KindCase); !slices.Contains(got, "customFields") {
		t.Errorf("case with custom fields shown: %v", got)
	}
	if got := s.Reads(config.KindComment); !slices.Contains(got, "createdBy") || !slices.Contains(got, "message") {
		t.Errorf("comment: %v", got)
	}
	if got := s.Reads(config.KindObservable); !slices.Contains(got, "_createdBy") || !slices.Contains(got, "tags") {
		t.Errorf("observable: %v", got)
	}
	if s.Reads("alert") != nil {
		t.Error("unknown kind")
	}
}
