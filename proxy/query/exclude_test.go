package query

import (
	"slices"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

func TestUnneeded(t *testing.T) {
	got := Unneeded(config.KindComment, []string{"_id", "_type", "message", "createdBy", "createdAt", "isEdited", "external", "notAField"})
	if want := []string{"updatedAt", "updatedBy", "extraData"}; !slices.Equal(got, want) {
		t.Errorf("comment: %v, want %v", got, want)
	}
	if got := Unneeded(config.KindCase, outputFields[config.KindCase]); got != nil {
		t.Errorf("all needed: %v", got)
	}
	if got := Unneeded(config.Kind("alert"), nil); got != nil {
		t.Errorf("unknown kind: %v", got)
	}
	// Exact names: TheHive's are case-sensitive.
	if got := Unneeded(config.KindComment, []string{"MESSAGE"}); !slices.Contains(got, "message") {
		t.Errorf("case-insensitive match: %v", got)
	}
}

func TestExcludeFields(t *testing.T) {
	q := &Query{}
	body := ListCases(nil, q, 11)
	out := ExcludeFields(body, []string{"summary", "assignee"})
	if got := gjson.GetBytes(out, "excludeFields").Raw; got != `["summary","assignee"]` {
		t.Errorf("excludeFields = %s in %s", got, out)
	}
	if gjson.GetBytes(out, "query").Raw != gjson.GetBytes(body, "query").Raw {
		t.Errorf("query changed: %s", out)
	}
	if string(ExcludeFields(body, nil)) != string(body) {
		t.Error("no fields changed the body")
	}
	if ExcludeFields(nil, []string{"a"}) != nil {
		t.Error("nil body")
	}
}
