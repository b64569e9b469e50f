package explain

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
)

const testConfig = `
public_url: https://portal.example.com
upstream: {url: "http://thehive:9000", api_key: k, service_login: portal@soc.example}
oidc: {issuer: "https://sso.example.com", client_id: c, client_secret: s}
session: {secret: "0123456789abcdef0123456789abcdef"}
view:
  case_tags: ["customer:*", "*"]
  case_custom_fields: [business-unit]
profiles:
  default: none
  definitions:
    contributor: {writes: [comment], groups: [client-it]}
`

const caseJSON = `{"_id":"~1","_type":"Case","number":7,"title":"T","assignee":"a@soc.example",
"tags":["customer:acme","portal:user=jo@client.example","Portal:domain=client.example"],
"customFields":[{"name":"business-unit","type":"string","value":"Sales","order":0},{"name":"cost","type":"integer","value":3,"order":1}]}`

const commentsJSON = `[
{"_id":"~3","_type":"Comment","createdBy":"portal@soc.example","createdAt":20,"message":"[external] _Posted by jo@client.example through the external portal._\n\nHello"},
{"_id":"~2","_type":"Comment","createdBy":"a@soc.example","createdAt":10,"message":"internal SECRET"},
{"_type":"Comment","createdAt":30,"message":"[external] no id"}]`

const attachmentsJSON = `[{"_id":"~5","_type":"Attachment","name":"r.pdf","size":3,"contentType":"application/pdf","_createdBy":"a@soc.example","_createdAt":5,"external":true}]`

func newExplainer(t *testing.T) *Explainer {
	t.Helper()
	cfg, err := config.Load(strings.NewReader(testConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func entry(t *testing.T, es []Entry, name string) Entry {
	t.Helper()
	for _, e := range es {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entry %q", name)
	return Entry{}
}

func TestExplainCaseParts(t *testing.T) {
	x := newExplainer(t)
	r, err := x.Explain(Viewer{Email: "Jo@client.example", Groups: []string{"client-it"}},
		Input{Case: []byte(caseJSON), Comments: []byte(commentsJSON), Attachments: []byte(attachmentsJSON), ServiceLogin: "portal@soc.example"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Case.Shown || r.Case.Rule != "case.tag:portal:user={email}" {
		t.Errorf("case: %+v", r.Case)
	}
	if r.Viewer.Profile != "contributor" || r.Viewer.ProfileWhy != "group:client-it" || len(r.Viewer.Writes) != 1 {
		t.Errorf("viewer: %+v", r.Viewer)
	}
	if e := entry(t, r.Case.Fields, "assignee"); e.Shown || !strings.Contains(e.Why, "not in the allow-list") {
		t.Errorf("assignee: %+v", e)
	}
	if e := entry(t, r.Case.Fields, "title"); !e.Shown || string(e.Seen) != `"T"` {
		t.Errorf("title: %+v", e)
	}
	if e := entry(t, r.Case.Tags, "customer:acme"); !e.Shown || !strings.Contains(e.Why, `"customer:*"`) {
		t.Errorf("customer tag: %+v", e)
	}
	// Reserved prefixes win over a "*" pattern, whatever the case.
	for _, tag := range []string{"portal:user=jo@client.example", "Portal:domain=client.example"} {
		if e := entry(t, r.Case.Tags, tag); e.Shown || !strings.Contains(e.Why, "reserved") {
			t.Errorf("%s: %+v", tag, e)
		}
	}
	if e := entry(t, r.Case.CustomFields, "business-unit"); !e.Shown || string(e.Seen) != `"Sales"` {
		t.Errorf("business-unit: %+v", e)
	}
	if e := entry(t, r.Case.CustomFields, "cost"); e.Shown {
		t.Errorf("cost: %+v", e)
	}
	checkComments(t, r.Comments)
	if len(r.Attachments) != 1 || !r.Attachments[0].Shown {
		t.Errorf("attachments: %+v", r.Attachments)
	}
}

func checkComments(t *testing.T, cs []Item) {
	t.Helper()
	if len(cs) != 3 || cs[0].ID != "~2" || cs[1].ID != "~3" {
		t.Fatalf("comments not oldest first: %+v", cs)
	}
	if cs[0].Shown || cs[0].Reason != "not_shared" || cs[0].Seen != nil {
		t.Errorf("internal comment: %+v", cs[0])
	}
	if !cs[1].Shown || !strings.Contains(string(cs[1].Seen), `"createdBy":"jo@client.example"`) ||
		!strings.Contains(string(cs[1].Seen), `"message":"Hello"`) {
		t.Errorf("portal comment: %+v %s", cs[1], cs[1].Seen)
	}
	if cs[2].Shown || cs[2].Reason != "malformed_object" {
		t.Errorf("comment without id: %+v", cs[2])
	}
}

func TestExplainHiddenCase(t *testing.T) {
	x := newExplainer(t)
	r, err := x.Explain(Viewer{Email: "eve@rival.example"}, Input{Case: []byte(caseJSON), Comments: []byte(commentsJSON)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Case.Shown || r.Case.Seen != nil || r.Viewer.Profile != "" || r.Viewer.ProfileWhy != "no_profile" {
		t.Errorf("hidden case: %+v %+v", r.Case, r.Viewer)
	}
	for _, c := range r.Comments {
		if c.Shown || c.Reason != ReasonCaseHidden || c.Seen != nil {
			t.Errorf("comment of a hidden case: %+v", c)
		}
	}
	for _, f := range r.Case.Fields {
		if f.Shown {
			t.Errorf("field of a hidden case shown: %+v", f)
		}
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "HIDDEN (no rule of share.case matched)") || strings.Contains(out, "SECRET") ||
		!strings.Contains(out, "this user cannot sign in") {
		t.Errorf("text:\n%s", out)
	}
}

func TestExplainBadInput(t *testing.T) {
	x := newExplainer(t)
	for _, in := range []Input{
		{Case: []byte(`[1]`)},
		{Case: []byte(`{"_id":"~1","_id":"~2"}`)},
		{Case: []byte(caseJSON), Comments: []byte(`{"a":1}`)},
		{Case: []byte(caseJSON), Observables: []byte(`[1]`)},
	} {
		if _, err := x.Explain(Viewer{Email: "jo@client.example"}, in); !errors.Is(err, ErrBadInput) {
			t.Errorf("%s / %s: got %v", in.Case, in.Comments, err)
		}
	}
}
