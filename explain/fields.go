package explain

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// builtWhy explains the case keys the portal builds itself (see the filter
// package).
var builtWhy = map[string]string{
	"tags":         "built by the portal: only the tags shown below",
	"customFields": "built by the portal: only the custom fields shown below",
	"extraData":    "built by the portal: always {}",
}

// caseFields explains each top-level field of the case: shown when the
// filter kept it (and the case is visible), with the allow-list as the
// reason.
func (x *Explainer) caseFields(obj, seen gjson.Result, caseShown bool) []Entry {
	kept := members(seen)
	out := []Entry{}
	obj.ForEach(func(k, _ gjson.Result) bool {
		name := k.String()
		val, ok := kept[name]
		e := Entry{Name: name, Shown: ok && caseShown, Why: x.fieldWhy(name)}
		if e.Shown {
			e.Seen = json.RawMessage(val.Raw)
		}
		out = append(out, e)
		return true
	})
	return out
}

func (x *Explainer) fieldWhy(name string) string {
	if why, ok := builtWhy[name]; ok {
		return why
	}
	if slices.Contains(x.cfg.View.Fields.Case, name) {
		return "in view.fields.case"
	}
	return "not in the allow-list (view.fields.case)"
}

// caseTags explains each tag of the case: shown when the filter kept it,
// with the reserved prefix or the view.case_tags pattern as the reason.
func (x *Explainer) caseTags(tags, seen gjson.Result, caseShown bool) []Entry {
	kept := map[string]bool{}
	seen.ForEach(func(_, t gjson.Result) bool {
		kept[t.String()] = true
		return true
	})
	out := []Entry{}
	tags.ForEach(func(_, t gjson.Result) bool {
		if t.Type != gjson.String {
			return true
		}
		out = append(out, Entry{Name: t.Str, Shown: kept[t.Str] && caseShown, Why: x.tagWhy(t.Str)})
		return true
	})
	return out
}

func (x *Explainer) tagWhy(tag string) string {
	for _, r := range x.cfg.Markers.ReservedTagPrefixes {
		if r != "" && len(tag) >= len(r) && strings.EqualFold(tag[:len(r)], r) {
			return fmt.Sprintf("reserved prefix %q (markers.reserved_tag_prefixes): never shown", r)
		}
	}
	for _, p := range x.cfg.View.CaseTags {
		if config.MatchPattern(p, tag) {
			return fmt.Sprintf("matches view.case_tags pattern %q", p)
		}
	}
	return "not listed in view.case_tags"
}

// customFields explains each custom field of the case by name.
func (x *Explainer) customFields(fields, seen gjson.Result, caseShown bool) []Entry {
	kept := map[string]gjson.Result{}
	seen.ForEach(func(_, f gjson.Result) bool {
		kept[f.Get("name").String()] = f.Get("value")
		return true
	})
	out := []Entry{}
	fields.ForEach(func(_, f gjson.Result) bool {
		name := f.Get("name")
		if name.Type != gjson.String {
			return true
		}
		val, ok := kept[name.Str]
		e := Entry{Name: name.Str, Shown: ok && caseShown, Why: "not listed in view.case_custom_fields"}
		if slices.Contains(x.cfg.View.CaseCustomFields, name.Str) {
			e.Why = "in view.case_custom_fields"
		}
		if e.Shown && val.Exists() {
			e.Seen = json.RawMessage(val.Raw)
		}
		out = append(out, e)
		return true
	})
	return out
}

// members returns the members of a JSON object by decoded key.
func members(obj gjson.Result) map[string]gjson.Result {
	out := map[string]gjson.Result{}
	obj.ForEach(func(k, v gjson.Result) bool {
		out[k.String()] = v
		return true
	})
	return out
}
