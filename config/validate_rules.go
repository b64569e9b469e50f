package config

import (
	"fmt"
	"regexp"
	"strings"
)

// ruleConditions says which conditions each kind takes.
var ruleConditions = map[Kind][]string{
	KindCase:       {"native_access", "tag"},
	KindComment:    {"native_external", "message_prefix"},
	KindAttachment: {"native_external", "case_tag"},
	KindObservable: {"native_external", "tag"},
}

func (v *validator) share(s *Share) {
	names := map[string]string{}
	for _, k := range Kinds {
		for i, r := range s.Rules(k) {
			path := index("share."+string(k), i)
			v.rule(k, r, path)
			if prev, dup := names[r.Name]; dup && r.Name != "" {
				v.add(path+".name", "%q is already the name of %s", r.Name, prev)
			}
			names[r.Name] = path
		}
	}
}

func (v *validator) rule(k Kind, r Rule, path string) {
	if r.conditionCount() != 1 {
		v.add(path, "must set exactly one of %s", strings.Join(ruleConditions[k], ", "))
		return
	}
	key, value := r.Condition()
	if !contains(ruleConditions[k], key) {
		v.add(path+"."+key, "is not a condition of %s rules (use %s)", k, strings.Join(ruleConditions[k], ", "))
		return
	}
	switch key {
	case "tag":
		v.pattern(path+".tag", value, []string{PlaceholderEmail, PlaceholderGroup, PlaceholderDomain}, "")
	case "case_tag":
		v.pattern(path+".case_tag", value, []string{PlaceholderID}, PlaceholderID)
	case "message_prefix":
		if strings.TrimSpace(value) != value {
			v.add(path+".message_prefix", "must not start or end with spaces")
		}
	}
}

// pattern checks a tag pattern: known placeholders only, the required one
// present, and some literal text (a pattern of only "*" and placeholders
// would share far too much).
func (v *validator) pattern(path, p string, allowed []string, must string) {
	phs, ok := placeholders(p)
	if !ok {
		v.add(path, "has unbalanced braces")
		return
	}
	literal := strings.ReplaceAll(p, "*", "")
	for _, ph := range phs {
		if !contains(allowed, ph) {
			v.add(path, "unknown placeholder %s (allowed: %s)", ph, strings.Join(allowed, ", "))
			return
		}
		literal = strings.ReplaceAll(literal, ph, "")
	}
	if must != "" && !contains(phs, must) {
		v.add(path, "must contain %s", must)
	}
	if strings.TrimSpace(literal) == "" {
		v.add(path, "must contain literal text, not only * and placeholders")
	}
	v.noControl(path, p)
}

// portalFields are built by the portal and cannot be listed in view.fields.
var portalFields = []string{"tags", "customFields", "access", "createdBy", "_createdBy", "updatedBy",
	"_updatedBy", "extraData", "userPermissions"}

var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (v *validator) view(w *View) {
	for _, k := range Kinds {
		path := "view.fields." + string(k)
		fields := w.Fields.Of(k)
		if !contains(fields, "_id") {
			v.add(path, "must include _id")
		}
		seen := map[string]bool{}
		for i, f := range fields {
			switch {
			case !fieldName.MatchString(f):
				v.add(index(path, i), "%q is not a plain field name", f)
			case contains(portalFields, f):
				v.add(index(path, i), "%s is built by the portal and cannot be listed", f)
			case seen[f]:
				v.add(index(path, i), "%s is listed twice", f)
			}
			seen[f] = true
		}
	}
	for i, p := range w.CaseTags {
		if strings.TrimSpace(p) == "" {
			v.add(index("view.case_tags", i), "must not be empty")
		}
	}
	for i, n := range w.CaseCustomFields {
		if strings.TrimSpace(n) == "" {
			v.add(index("view.case_custom_fields", i), "must not be empty")
		}
	}
	if strings.TrimSpace(w.AnalystAlias) == "" || len(w.AnalystAlias) > 64 {
		v.add("view.analyst_alias", "must be 1 to 64 characters")
	}
}

func (v *validator) markers(c *Config) {
	m := &c.Markers
	if len(m.ReservedTagPrefixes) == 0 {
		v.add("markers.reserved_tag_prefixes", "must list at least one prefix")
	}
	tags := []struct {
		path, value, must string
		kind              Kind
	}{
		{"markers.case_user", m.CaseUser, PlaceholderEmail, KindCase},
		{"markers.case_creator", m.CaseCreator, PlaceholderEmail, KindCase},
		{"markers.observable_author", m.ObservableAuthor, PlaceholderEmail, KindObservable},
		{"markers.attachment_case_tag", m.AttachmentCaseTag, PlaceholderID, KindAttachment},
	}
	for _, t := range tags {
		if !strings.Contains(t.value, t.must) {
			v.add(t.path, "must contain %s", t.must)
		}
		if !hasAnyPrefix(t.value, m.ReservedTagPrefixes) {
			v.add(t.path, "must start with one of markers.reserved_tag_prefixes, so users cannot forge it")
		}
	}
	if !ruleMatchesMarker(c.Share.Case, "tag", m.CaseUser) {
		v.add("markers.case_user", "no share.case tag rule matches it: cases external users create would be hidden from them")
	}
	if !ruleMatchesMarker(c.Share.Observable, "tag", m.ObservableAuthor) && !c.Upstream.NativeExternal {
		v.add("markers.observable_author", "no share.observable tag rule matches it: observables external users add would be hidden")
	}
	if !ruleMatchesMarker(c.Share.Comment, "message_prefix", m.CommentPrefix) && !c.Upstream.NativeExternal {
		v.add("markers.comment_prefix", "no share.comment message_prefix rule matches it: comments external users write would be hidden")
	}
	if !ruleMatchesMarker(c.Share.Attachment, "case_tag", m.AttachmentCaseTag) && !c.Upstream.NativeExternal {
		v.add("markers.attachment_case_tag", "no share.attachment case_tag rule matches it: attachments external users upload would be hidden")
	}
}

// ruleMatchesMarker reports whether a rule with condition key matches the
// marker the portal writes (placeholders compared literally).
func ruleMatchesMarker(rules []Rule, key, marker string) bool {
	for _, r := range rules {
		k, value := r.Condition()
		if k != key {
			continue
		}
		if key == "message_prefix" {
			if strings.HasPrefix(marker, value) {
				return true
			}
		} else if MatchPattern(value, marker) {
			return true
		}
	}
	return false
}

var profileName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func (v *validator) profiles(p *Profiles) {
	if p.Default != ProfileNone {
		if _, ok := p.Definitions[p.Default]; !ok {
			v.add("profiles.default", "must be %q or a profile in profiles.definitions", ProfileNone)
		}
	}
	for name, def := range p.Definitions {
		path := "profiles.definitions." + name
		if !profileName.MatchString(name) || name == ProfileNone {
			v.add(path, "profile names are lower-case letters, digits, _ and -, and not %q", ProfileNone)
		}
		for i, w := range def.Writes {
			if !w.Valid() {
				v.add(index(path+".writes", i), "must be one of comment, attachment, observable, case")
			}
		}
		for i, g := range def.Groups {
			if strings.TrimSpace(g) == "" {
				v.add(index(path+".groups", i), "must not be empty")
			}
		}
	}
}

var allowedCaseInputs = []string{"title", "description", "severity", "startDate", "tags"}

var dataTypeName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (v *validator) inputs(in *Inputs) {
	for _, must := range []string{"title", "description"} {
		if !contains(in.CaseFields, must) {
			v.add("inputs.case_fields", "must include %s", must)
		}
	}
	for i, f := range in.CaseFields {
		if !contains(allowedCaseInputs, f) {
			v.add(index("inputs.case_fields", i), "%q cannot be allowed (allowed: %s)", f, strings.Join(allowedCaseInputs, ", "))
		}
	}
	if len(in.ObservableTypes) == 0 {
		v.add("inputs.observable_types", "must list at least one data type")
	}
	for i, t := range in.ObservableTypes {
		if !dataTypeName.MatchString(t) {
			v.add(index("inputs.observable_types", i), "%q is not a data type name", t)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if p != "" && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
