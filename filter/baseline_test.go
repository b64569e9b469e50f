package filter

import (
	"encoding/json"
	"strings"

	"github.com/thehive-portal/thehive-portal/config"
)

// The encoding/json baseline of the benchmarks does the filter's job the
// usual way: decode every item into a map of raw values, decide with the
// same rules on decoded values, build output maps with the same allow-list
// and rewrites, encode. It trusts its input (no depth, duplicate-key or
// shape checks), which only flatters it.

type raw = json.RawMessage

// baselineComments filters comments under commentRule.
func baselineComments(cfg *config.Config, body []byte, login string) ([]byte, error) {
	var items []map[string]raw
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	alias, err := json.Marshal(cfg.View.AnalystAlias)
	if err != nil {
		return nil, err
	}
	markers := commentMarkers(cfg)
	out := make([]map[string]raw, 0, len(items))
	for _, it := range items {
		var external bool
		var message, createdBy string
		if err := decodeIfPresent(it, "external", &external); err != nil {
			return nil, err
		}
		if err := decodeIfPresent(it, "message", &message); err != nil {
			return nil, err
		}
		if !external && !strings.HasPrefix(message, "[external]") && !strings.HasPrefix(message, "[shared]") {
			continue
		}
		o := allowed(it, cfg.View.Fields.Comment)
		for _, m := range markers {
			if strings.HasPrefix(message, m) {
				message = strings.TrimLeft(message[len(m):], " ")
				break
			}
		}
		author := raw(alias)
		_ = json.Unmarshal(it["createdBy"], &createdBy)
		if login != "" && createdBy == login {
			if email, text, ok := ParseComment("", message); ok {
				author, _ = json.Marshal(email)
				message = text
			}
		}
		if _, ok := it["message"]; ok {
			o["message"], _ = json.Marshal(message)
		}
		o["createdBy"], o["extraData"] = author, raw("{}")
		out = append(out, o)
	}
	return json.Marshal(out)
}

// baselineCases filters cases under caseRule.
func baselineCases(cfg *config.Config, body []byte) ([]byte, error) {
	var items []map[string]raw
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	out := make([]map[string]raw, 0, len(items))
	for _, it := range items {
		var tags []string
		var access struct {
			Kind  string   `json:"_kind"`
			Users []string `json:"users"`
		}
		var fields []map[string]raw
		if err := decodeIfPresent(it, "tags", &tags); err != nil {
			return nil, err
		}
		if err := decodeIfPresent(it, "access", &access); err != nil {
			return nil, err
		}
		if err := decodeIfPresent(it, "customFields", &fields); err != nil {
			return nil, err
		}
		if !baselineShared(access.Kind, access.Users, tags) {
			continue
		}
		o := allowed(it, cfg.View.Fields.Case)
		shown := []string{}
		for _, tag := range tags {
			if baselineShowTag(cfg, tag) {
				shown = append(shown, tag)
			}
		}
		o["tags"], _ = json.Marshal(shown)
		o["customFields"], _ = json.Marshal(baselineCustomFields(cfg, fields))
		o["extraData"] = raw("{}")
		out = append(out, o)
	}
	return json.Marshal(out)
}

func baselineShared(kind string, users, tags []string) bool {
	switch kind {
	case "AllExternalAccessKind":
		return true
	case "ExternalAccessKind":
		for _, u := range users {
			if u == viewer || u == "*" {
				return true
			}
		}
	}
	for _, tag := range tags {
		if tag == "portal:user="+viewer {
			return true
		}
	}
	return false
}

func baselineCustomFields(cfg *config.Config, fields []map[string]raw) []map[string]raw {
	out := []map[string]raw{}
	for _, f := range fields {
		var name string
		_ = json.Unmarshal(f["name"], &name)
		listed := false
		for _, n := range cfg.View.CaseCustomFields {
			listed = listed || n == name
		}
		if listed {
			out = append(out, allowed(f, []string{"name", "type", "value", "order"}))
		}
	}
	return out
}

// allowed copies the listed keys of it.
func allowed(it map[string]raw, keys []string) map[string]raw {
	o := make(map[string]raw, len(keys)+3)
	for _, k := range keys {
		if v, ok := it[k]; ok {
			o[k] = v
		}
	}
	return o
}

func decodeIfPresent(it map[string]raw, key string, dst any) error {
	if v, ok := it[key]; ok {
		return json.Unmarshal(v, dst)
	}
	return nil
}

// baselineShowTag: not reserved (case-insensitively), and matching a
// pattern of view.case_tags.
func baselineShowTag(cfg *config.Config, tag string) bool {
	for _, r := range cfg.Markers.ReservedTagPrefixes {
		if strings.HasPrefix(strings.ToLower(tag), strings.ToLower(r)) {
			return false
		}
	}
	for _, p := range cfg.View.CaseTags {
		if config.MatchPattern(p, tag) {
			return true
		}
	}
	return false
}
