package policy

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// Engine holds the compiled share rules and profiles. It is immutable and
// safe for concurrent use.
type Engine struct {
	rules          map[config.Kind][]rule
	wants          map[config.Kind]memberSet // the members Decide reads
	profiles       []profileGrant
	defaultProfile string
}

// rule is one compiled share rule.
type rule struct {
	name   string
	cond   string // the config.Rule condition key
	pat    pattern
	prefix string
	plain  bool // prefix compares with raw JSON text; see hasPrefix
}

// typeNames are the TheHive _type values of each kind.
var typeNames = map[config.Kind]string{
	config.KindCase:       "Case",
	config.KindComment:    "Comment",
	config.KindAttachment: "Attachment",
	config.KindObservable: "Observable",
}

// New compiles the share rules and profiles of cfg, which must validate.
func New(cfg *config.Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	e := &Engine{
		rules:          map[config.Kind][]rule{},
		wants:          map[config.Kind]memberSet{},
		profiles:       compileProfiles(cfg.Profiles),
		defaultProfile: cfg.Profiles.Default,
	}
	for _, k := range config.Kinds {
		e.wants[k] = memType.bit() | memID.bit()
		for _, r := range cfg.Share.Rules(k) {
			c := compileRule(r)
			e.rules[k] = append(e.rules[k], c)
			e.wants[k] |= c.reads()
		}
	}
	return e, nil
}

// compileRule compiles one validated share rule.
func compileRule(r config.Rule) rule {
	key, value := r.Condition()
	c := rule{name: r.Name, cond: key}
	switch key {
	case "tag", "case_tag":
		c.pat = compilePattern(value)
	case "message_prefix":
		c.prefix, c.plain = value, plainPrefix(value)
	}
	return c
}

// reads returns the members of the object that the rule reads.
func (r *rule) reads() memberSet {
	switch r.cond {
	case "native_access":
		return memAccess.bit()
	case "native_external":
		return memExternal.bit()
	case "message_prefix":
		return memMessage.bit()
	case "tag":
		return memTags.bit()
	}
	return 0 // case_tag reads _id, which is always read
}

// Case decides whether the viewer may see a case.
func (e *Engine) Case(v Viewer, c gjson.Result) Decision {
	return e.Decide(v, config.KindCase, c, gjson.Result{})
}

// Comment decides whether the viewer may see a comment of a visible case.
func (e *Engine) Comment(v Viewer, c gjson.Result) Decision {
	return e.Decide(v, config.KindComment, c, gjson.Result{})
}

// Attachment decides whether the viewer may see an attachment of the
// visible case caseObj (whose tags may name the attachment).
func (e *Engine) Attachment(v Viewer, caseObj, a gjson.Result) Decision {
	return e.Decide(v, config.KindAttachment, a, caseObj)
}

// Observable decides whether the viewer may see an observable of a visible
// case.
func (e *Engine) Observable(v Viewer, o gjson.Result) Decision {
	return e.Decide(v, config.KindObservable, o, gjson.Result{})
}

// Decide decides whether the viewer may see obj, of the given kind.
// caseObj is the object's case; only attachment rules read it. The caller
// decides separately that the case itself is visible. obj must come from
// JSON that was validated (no duplicate keys); see the filter package.
// Decide walks obj's top-level members once, skipping the values no rule
// reads, and decodes only the strings its rules compare.
func (e *Engine) Decide(v Viewer, kind config.Kind, obj, caseObj gjson.Result) Decision {
	if !kind.Valid() {
		return deny(ReasonUnknownKind)
	}
	m, id, ok := e.wellFormed(kind, obj)
	if !ok {
		return deny(ReasonMalformed)
	}
	v, domain := v.normal()
	if v.Email == "" {
		return deny(ReasonNoViewer)
	}
	for _, r := range e.rules[kind] {
		if r.matches(v, domain, &m, id, caseObj) {
			return allow(ReasonShared, r.name)
		}
	}
	return deny(ReasonNotShared)
}

// wellFormed reads the members of obj that the kind's rules need and checks
// that obj is an object of the kind's _type with an _id, which it returns
// decoded.
func (e *Engine) wellFormed(kind config.Kind, obj gjson.Result) (m members, id string, ok bool) {
	if !obj.IsObject() {
		return m, "", false
	}
	if m, ok = readMembers(obj.Raw, e.wants[kind]); !ok {
		return m, "", false
	}
	t, isStr := decodeString(m[memType])
	if !isStr || !strings.EqualFold(t, typeNames[kind]) {
		return m, "", false
	}
	id, ok = decodeString(m[memID])
	return m, id, ok && id != ""
}

// matches reports whether the rule shares the object whose members are m.
func (r *rule) matches(v Viewer, domain string, m *members, id string, caseObj gjson.Result) bool {
	switch r.cond {
	case "native_access":
		return nativeAccess(v.Email, m[memAccess])
	case "native_external":
		return m[memExternal] == "true"
	case "message_prefix":
		return hasPrefix(m[memMessage], r.prefix, r.plain)
	case "tag":
		return r.pat.matchTags(gjson.Parse(m[memTags]), v, domain, "")
	case "case_tag":
		return r.pat.matchTags(caseObj.Get("tags"), v, domain, id)
	}
	return false
}

// matchTags reports whether any tag matches the pattern expanded for the
// viewer (once per SSO group when the pattern uses {group}).
func (p *pattern) matchTags(tags gjson.Result, v Viewer, domain, id string) bool {
	if !tags.IsArray() {
		return false
	}
	groups := []string{""}
	if p.usesGroup {
		groups = v.Groups
	}
	for _, g := range groups {
		parts, ok := p.expand(values{email: v.Email, group: g, domain: domain, id: id})
		if !ok {
			continue
		}
		found := false
		tags.ForEach(func(_, t gjson.Result) bool {
			found = t.Type == gjson.String && globMatch(parts, t.Str)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}
