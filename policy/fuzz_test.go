package policy

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// refDecide is Decide as it was before readMembers: every rule reads obj
// with its own gjson Get. FuzzDecide checks that Decide still agrees.
func refDecide(e *Engine, v Viewer, kind config.Kind, obj, caseObj gjson.Result) Decision {
	if !kind.Valid() {
		return deny(ReasonUnknownKind)
	}
	if !refWellFormed(kind, obj) {
		return deny(ReasonMalformed)
	}
	v, domain := v.normal()
	if v.Email == "" {
		return deny(ReasonNoViewer)
	}
	for _, r := range e.rules[kind] {
		if refMatches(&r, v, domain, obj, caseObj) {
			return allow(ReasonShared, r.name)
		}
	}
	return deny(ReasonNotShared)
}

func refWellFormed(kind config.Kind, obj gjson.Result) bool {
	if !obj.IsObject() {
		return false
	}
	t, id := obj.Get("_type"), obj.Get("_id")
	return t.Type == gjson.String && strings.EqualFold(t.Str, typeNames[kind]) &&
		id.Type == gjson.String && id.Str != ""
}

func refMatches(r *rule, v Viewer, domain string, obj, caseObj gjson.Result) bool {
	switch r.cond {
	case "native_access":
		return refNativeAccess(v.Email, obj.Get("access"))
	case "native_external":
		return obj.Get("external").Type == gjson.True
	case "message_prefix":
		m := obj.Get("message")
		return m.Type == gjson.String && strings.HasPrefix(m.Str, r.prefix)
	case "tag":
		return r.pat.matchTags(obj.Get("tags"), v, domain, "")
	case "case_tag":
		return r.pat.matchTags(caseObj.Get("tags"), v, domain, obj.Get("_id").Str)
	}
	return false
}

// refNativeAccess is nativeAccess read with gjson. users must be an array
// (gjson's ForEach would also take a lone string as a list of one).
func refNativeAccess(email string, access gjson.Result) bool {
	kind := access.Get("_kind")
	if !access.IsObject() || kind.Type != gjson.String {
		return false
	}
	switch kind.Str {
	case "AllExternalAccessKind":
		return true
	case "ExternalAccessKind":
		found := false
		if users := access.Get("users"); users.IsArray() {
			users.ForEach(func(_, u gjson.Result) bool {
				found = u.Type == gjson.String && (u.Str == "*" || strings.EqualFold(u.Str, email))
				return !found
			})
		}
		return found
	}
	return false
}

// fuzzConfig shares by every condition, with message prefixes that need
// decoding; FuzzDecide adds a prefix of its own.
const fuzzConfig = `
share:
  case:
    - native_access: true
    - tag: "portal:user={email}"
    - tag: "ticket:{domain}:*"
    - tag: "portal:group={group}"
  comment:
    - native_external: true
    - message_prefix: "[EXTERNAL]"
    - message_prefix: 'say "hi'
    - message_prefix: 'back\slash'
    - message_prefix: "tab\there"
    - message_prefix: "été"
  attachment:
    - native_external: true
    - case_tag: "portal:attachment={id}"
  observable:
    - native_external: true
    - tag: "portal:by=*"
markers:
  comment_prefix: "[EXTERNAL] "
`

var fuzzViewers = []Viewer{
	{Email: "alice@client.example.com", Groups: []string{"partners"}},
	{Email: "Jane.Doe@Partner.example.com", Groups: []string{"hr-partners", "x"}},
	{Email: "*@client.example.com"},
	{Email: ""},
}

var fuzzKinds = []config.Kind{config.KindCase, config.KindComment, config.KindAttachment,
	config.KindObservable, "task"}

func FuzzDecide(f *testing.F) {
	engines := fuzzEngines(f)
	for _, seed := range fuzzSeeds {
		f.Add(seed.prog, seed.text, seed.prefix)
	}
	f.Fuzz(func(t *testing.T, prog []byte, text, prefix string) {
		mustNotPanic(engines, text)
		objs := []string{buildObject(prog, text)}
		if uniqueObject(text) {
			objs = append(objs, text)
		}
		for _, e := range engines {
			e = withPrefix(e, prefix)
			for _, o := range objs {
				if uniqueObject(o) {
					compare(t, e, gjson.Parse(o), gjson.Parse(objs[0]))
				}
			}
		}
	})
}

// compare checks that Decide and refDecide agree for every viewer and kind.
func compare(t *testing.T, e *Engine, obj, caseObj gjson.Result) {
	t.Helper()
	for _, v := range fuzzViewers {
		for _, k := range fuzzKinds {
			got, want := e.Decide(v, k, obj, caseObj), refDecide(e, v, k, obj, caseObj)
			if got != want {
				t.Fatalf("%s for %q of %s:\ngot  %+v\nwant %+v", k, v.Email, obj.Raw, got, want)
			}
		}
	}
}

// mustNotPanic runs Decide on arbitrary, possibly malformed text.
func mustNotPanic(engines []*Engine, text string) {
	for _, e := range engines {
		for _, k := range fuzzKinds {
			e.Decide(fuzzViewers[0], k, gjson.Parse(text), gjson.Parse(text))
			e.Decide(fuzzViewers[0], k, gjson.Result{Type: gjson.JSON, Raw: text}, gjson.Result{})
		}
	}
}

func fuzzEngines(tb testing.TB) []*Engine {
	tb.Helper()
	var out []*Engine
	for _, yml := range []string{"", fuzzConfig} {
		cfg, err := config.Load(strings.NewReader(yml), minimalEnv)
		if err != nil {
			tb.Fatal(err)
		}
		e, err := New(cfg)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// withPrefix returns a copy of e whose comments are also shared by
// message prefix p (validated or not: the engine must be exact anyway).
func withPrefix(e *Engine, p string) *Engine {
	c := *e
	c.rules = map[config.Kind][]rule{}
	for k, rs := range e.rules {
		c.rules[k] = rs
	}
	base := e.rules[config.KindComment]
	r := compileRule(config.Rule{Name: "fuzz", MessagePrefix: p})
	c.rules[config.KindComment] = append(base[:len(base):len(base)], r)
	return &c
}

// uniqueObject reports whether s is valid JSON: an object whose top-level
// keys are distinct once decoded (what Decide's callers guarantee).
func uniqueObject(s string) bool {
	if !json.Valid([]byte(s)) {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok || seen[key] {
			return false
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return true
}

// Builder vocabulary: the members Decide reads, written plainly, with
// escapes and as near misses, and values that exercise every rule.
var (
	fuzzKeys = []string{"_type", "_id", "access", "external", "message", "tags",
		`_typ\u0065`, `\u005fid`, `acc\u0065ss`, `\u0065xternal`, `m\u0065ssage`, `\u006D\u0065ssage`,
		`t\u0061gs`, `_kind`, `users`, "Message", "message ", "_ID", "tag", `mes\"sage`, `a\\`,
		"description", "customFields"}
	fuzzTypes = []string{"Case", "case", "Comment", "COMMENT", "Attachment", "Observable",
		`C\u0061se`, `Comm\u0065nt`, "Alert"}
	fuzzTags = []string{"portal:user=alice@client.example.com", `portal:user=alice\u0040client.example.com`,
		"portal:attachment=~1", `portal:attachment=\u007e1`, "portal:by=x", "portal:group=partners",
		"ticket:client.example.com:42", "portal:group=hr-partners", "portal:user=jane.doe@partner.example.com"}
	fuzzIDs         = []string{"~1", `\u007e1`, "~2", ""}
	fuzzAccessKinds = []string{"AllExternalAccessKind", "ExternalAccessKind", "OrganisationAccessKind"}
	fuzzUsers       = []string{"*", "alice@client.example.com", "ALICE@client.example.com", `alice\u0040client.example.com`}
	fuzzStrings     = append(append(append(append([]string{"~1", "", "[EXTERNAL] hi", `\u005BEXTERNAL] hi`,
		"[external]", `[EXT\u0045RNAL]`, `[EXTERNAL`, `say \"hi`, `say \"hi\" there`, `say \u0022hi`,
		`back\\slash`, `back\\\\slash`, `tab\there`, "tab\\u0009here", `\u00e9t\u00e9`, "été",
		`\ud83d\ude00`, `\ud800`, "true", `\\`, `\"`, `{\"message\":1}`, "]}"},
		fuzzTypes...), fuzzTags...), fuzzAccessKinds...), fuzzUsers...)
	fuzzScalars = []string{"true", "false", "null", "0", "-1.5e+3", "1714380000000"}
)

// objectBuilder turns fuzz bytes into a JSON object: mostly well-formed
// TheHive objects whose members are the ones Decide reads, with values
// chosen to make rules match.
type objectBuilder struct {
	prog []byte
	text string
	out  bytes.Buffer
}

func buildObject(prog []byte, text string) string {
	b := &objectBuilder{prog: prog, text: text}
	b.object(0)
	return b.out.String()
}

func (b *objectBuilder) next() int {
	if len(b.prog) == 0 {
		return 0
	}
	c := b.prog[0]
	b.prog = b.prog[1:]
	return int(c)
}

func (b *objectBuilder) pick(list []string) string { return list[b.next()%len(list)] }

func (b *objectBuilder) space() {
	if n := b.next() % 8; n < 4 {
		b.out.WriteString([]string{"", "", " ", "\n\t "}[n])
	}
}

func (b *objectBuilder) object(depth int) {
	b.out.WriteByte('{')
	n := b.next() % 9
	for i := 0; i < n; i++ {
		if i > 0 {
			b.out.WriteByte(',')
		}
		b.space()
		key := b.key(depth, i)
		b.out.WriteString(`"` + key + `"`)
		b.space()
		b.out.WriteByte(':')
		b.space()
		b.member(key, depth+1)
		b.space()
	}
	b.out.WriteByte('}')
}

// key starts top-level objects with _type and _id, as TheHive does.
func (b *objectBuilder) key(depth, i int) string {
	switch {
	case depth == 0 && i == 0 && b.next()%4 != 0:
		return "_type"
	case depth == 0 && i == 1 && b.next()%4 != 0:
		return "_id"
	}
	return b.pick(fuzzKeys)
}

// member writes a value fit for the key, or any value.
func (b *objectBuilder) member(key string, depth int) {
	if b.next()%3 == 0 {
		b.value(depth)
		return
	}
	switch key {
	case "_type":
		b.out.WriteString(`"` + b.pick(fuzzTypes) + `"`)
	case "_id":
		b.out.WriteString(`"` + b.pick(fuzzIDs) + `"`)
	case "access", `acc\u0065ss`:
		b.out.WriteString(`{"_kind":"` + b.pick(fuzzAccessKinds) + `","users":["` + b.pick(fuzzUsers) + `"]}`)
	case "external", `\u0065xternal`:
		b.out.WriteString("true")
	case "tags", `t\u0061gs`:
		b.out.WriteString(`["` + b.pick(fuzzTags) + `","` + b.pick(fuzzStrings) + `"]`)
	default:
		b.out.WriteString(`"` + b.pick(fuzzStrings) + b.pick(fuzzStrings) + `"`)
	}
}

func (b *objectBuilder) value(depth int) {
	switch op := b.next() % 10; {
	case op < 3:
		b.out.WriteString(`"` + b.pick(fuzzStrings) + `"`)
	case op == 3:
		b.out.WriteString(b.pick(fuzzScalars))
	case op == 4:
		q, _ := json.Marshal(b.text)
		b.out.Write(q)
	case op == 5:
		b.out.WriteString(`"` + b.text + `"`) // may be invalid: then skipped
	case op == 6 && depth < 4:
		b.object(depth)
	case op == 7 && depth < 4:
		b.array(depth)
	case op == 8:
		b.out.WriteString(b.text) // may be invalid: then skipped
	default:
		b.out.WriteString(`"` + b.pick(fuzzStrings) + b.pick(fuzzStrings) + `"`)
	}
}

func (b *objectBuilder) array(depth int) {
	b.out.WriteByte('[')
	n := b.next() % 5
	for i := 0; i < n; i++ {
		if i > 0 {
			b.out.WriteByte(',')
		}
		b.space()
		b.value(depth + 1)
	}
	b.out.WriteByte(']')
}

// fuzzSeeds are objects the builder makes from short programs, and texts
// used as values or as whole objects.
var fuzzSeeds = []struct {
	prog         []byte
	text, prefix string
}{
	{[]byte{4, 0, 4, 0, 0, 1, 0, 4, 2, 0, 2, 10, 0, 3, 0, 3, 0}, "", "[EXTERNAL]"},
	{[]byte{6, 0, 0, 0, 1, 0, 0, 2, 4, 0, 0, 11, 0, 0, 11}, `[EXTERNAL] \"x\"`, `say "`},
	{[]byte{5, 0, 0, 0, 3, 1, 0, 0, 7, 1, 0, 0, 12, 0, 7, 3, 1, 27}, "{}", "été"},
	{[]byte{3, 0, 0, 0, 1, 0, 0, 8, 1, 0, 0, 2, 0, 8, 34, 35}, `{"_type":"Case","_id":"~1","tags":["portal:user=alice@client.example.com"]}`, "x"},
	{nil, `{"_type":"Comment","_id":"~2","m\u0065ssage":"\u005BEXTERNAL] hi"}`, `\`},
	{nil, `{"_type":"Attachment","_id":"~1","a":{"_id":"~2","tags":["portal:attachment=~2"]},"tags":["portal:attachment=~1"]}`, "\t"},
	{nil, `{"_type":"Observable","_id":"o","tags":["]",{"x":"}"},"portal:by=me"]}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":"{\"_kind\":\"AllExternalAccessKind\"}"}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":{"_kind":"ExternalAccessKind","users":["ALICE@client.example.com"]}}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":{"_kind":"ExternalAccessKind","users":"*"}}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":{"users":["x",{"a":"]"},"*"],"_k\u0069nd":"Ext\u0065rnalAccessKind","_kind":"AllExternalAccessKind"}}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":{ "_kind" : "ExternalAccessKind" , "users" : [ "alice@client.example.com" ] , "x":[[]]}}`, ""},
	{nil, `{"_type":"Case","_id":"c","access":{"_kind":"AllExternalAccessKind"`, ""},
	{nil, `{"_type":"Comment","_id":"c","external":true , "message":"tab\there"}`, "tab\there"},
	{nil, `{"_type":"Comment","_id":"c","message":"say \"hi\" there","x":"\\"}`, `say "hi`},
	{nil, `{"_type":"Comment"`, ""},
	{nil, `{"_id":"x","_id":"y"}`, ""},
}
