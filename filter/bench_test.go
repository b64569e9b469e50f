package filter

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// viewer is the external user of the benchmarks.
const viewer = "jane.doe@partner.example.com"

// benchComment has the fields of TheHive 5's OutputComment, in its order.
type benchComment struct {
	ID        string         `json:"_id"`
	Type      string         `json:"_type"`
	CreatedBy string         `json:"createdBy"`
	CreatedAt int64          `json:"createdAt"`
	UpdatedAt int64          `json:"updatedAt,omitempty"`
	UpdatedBy string         `json:"updatedBy,omitempty"`
	Message   string         `json:"message"`
	IsEdited  bool           `json:"isEdited"`
	ExtraData map[string]any `json:"extraData"`
	External  bool           `json:"external"`
}

var paragraphs = []string{
	"We looked at the headers of the message \"Invoice overdue – action required\" and the sender domain was registered two days ago. ",
	"The link points to a credential-harvesting page hosted on a compromised WordPress site; we asked the hosting provider to take it down.\n\n",
	"- blocked the domain at the mail gateway\n- reset the passwords of the two users\n- revoked their active sessions (O365 & VPN)\n\n",
	"Could you confirm whether anyone in accounts payable entered credentials or MFA codes? Réponse appréciée avant 17h, merci ✓.\n",
	"Timeline: 09:12 first click, 09:14 second click, 09:20 report to the SOC via the phishing button, 09:31 block in place.\n",
	"Next steps: we will search the proxy logs for other visits to `login-portal.example.net` and share the list of affected mailboxes.\n\n",
}

// benchMessage returns a realistic Markdown comment of about 1 KB.
func benchMessage(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Update #%d on the phishing wave.\n\n", i)
	for k := 0; b.Len() < 1000; k++ {
		b.WriteString(paragraphs[(i+k)%len(paragraphs)])
	}
	return b.String()
}

// benchComments returns n comments, about 1 KB each; half are visible
// under commentRule: a quarter with the native flag, an eighth with the
// marker, an eighth written through the portal (marker + attribution).
func benchComments(n int) []byte {
	items := make([]benchComment, n)
	for i := range items {
		c := benchComment{ID: fmt.Sprintf("~%d", 50000+i), Type: "Comment", CreatedBy: "analyst@example.org",
			CreatedAt: 1717434100000 + int64(i)*1000, Message: benchMessage(i), ExtraData: map[string]any{}}
		switch {
		case i%4 == 0:
			c.External = true
		case i%8 == 1:
			c.Message = "[external] " + c.Message
		case i%8 == 5:
			c.CreatedBy = testLogin
			c.Message = FormatComment("[external]", fmt.Sprintf("user%d@partner.example.com", i), c.Message)
		}
		if i%10 == 3 {
			c.IsEdited, c.UpdatedAt, c.UpdatedBy = true, c.CreatedAt+60000, "lead@example.org"
		}
		items[i] = c
	}
	out, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	return out
}

// benchCase has the fields of TheHive 5's OutputCase (fixtures/case.json).
type benchCase struct {
	ID                string           `json:"_id"`
	Type              string           `json:"_type"`
	CreatedBy         string           `json:"_createdBy"`
	UpdatedBy         string           `json:"_updatedBy"`
	CreatedAt         int64            `json:"_createdAt"`
	UpdatedAt         int64            `json:"_updatedAt"`
	Number            int              `json:"number"`
	Title             string           `json:"title"`
	Description       string           `json:"description"`
	Severity          int              `json:"severity"`
	SeverityLabel     string           `json:"severityLabel"`
	StartDate         int64            `json:"startDate"`
	Tags              []string         `json:"tags"`
	Flag              bool             `json:"flag"`
	TLP               int              `json:"tlp"`
	TLPLabel          string           `json:"tlpLabel"`
	PAP               int              `json:"pap"`
	PAPLabel          string           `json:"papLabel"`
	Status            string           `json:"status"`
	Stage             string           `json:"stage"`
	Assignee          string           `json:"assignee"`
	Access            map[string]any   `json:"access"`
	CustomFields      []map[string]any `json:"customFields"`
	UserPermissions   []string         `json:"userPermissions"`
	ExtraData         map[string]any   `json:"extraData"`
	NewDate           int64            `json:"newDate"`
	InProgressDate    int64            `json:"inProgressDate"`
	TimeToDetect      int64            `json:"timeToDetect"`
	TimeToTriage      int64            `json:"timeToTriage"`
	TimeToAcknowledge int64            `json:"timeToAcknowledge"`
}

// benchCases returns n cases; about a third are shared with viewer, by
// tag or by TheHive 5.6 external access.
func benchCases(n int) []byte {
	items := make([]benchCase, n)
	for i := range items {
		t := int64(1717430400000 + i*3600000)
		c := benchCase{ID: fmt.Sprintf("~%d", 41000+i), Type: "Case", CreatedBy: "analyst@example.org",
			UpdatedBy: "lead@example.org", CreatedAt: t, UpdatedAt: t + 7200000, Number: i + 1,
			Title:       fmt.Sprintf("Phishing wave targeting finance team (%d)", i),
			Description: "Synthetic case used for benchmarks. Several users received a credential-harvesting email; see the comments for the timeline.",
			Severity:    2, SeverityLabel: "MEDIUM", StartDate: t - 3600000,
			Tags: []string{"phishing", "customer-acme", "vpn", "tlp:amber"}, TLP: 2, TLPLabel: "AMBER", PAP: 2, PAPLabel: "AMBER",
			Status: "InProgress", Stage: "InProgress", Assignee: "analyst@example.org",
			Access: map[string]any{"_kind": "OrganisationAccessKind"},
			CustomFields: []map[string]any{
				{"_id": "~8200", "name": "business-unit", "type": "string", "value": "Finance", "order": 0},
				{"_id": "~8201", "name": "affected-users", "type": "integer", "value": 12, "order": 1},
				{"_id": "~8202", "name": "reporters", "type": "string", "value": "Alice", "order": 2},
			},
			UserPermissions: []string{"manageCase/update", "manageComment", "manageObservable", "manageTask"},
			ExtraData:       map[string]any{}, NewDate: t, InProgressDate: t + 3600000,
			TimeToDetect: 3600000, TimeToTriage: 3600000, TimeToAcknowledge: 3600000}
		switch i % 6 {
		case 0:
			c.Tags = append(c.Tags, "portal:user="+viewer)
		case 3:
			c.Access = map[string]any{"_kind": "ExternalAccessKind", "users": []string{"other@partner.example.com", viewer}}
		}
		items[i] = c
	}
	out, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	return out
}

// caseRule: shared with viewer by TheHive 5.6 external access or by a
// portal:user tag.
func caseRule(item gjson.Result) bool {
	access := item.Get("access")
	shared := false
	switch access.Get("_kind").String() {
	case "AllExternalAccessKind":
		return true
	case "ExternalAccessKind":
		access.Get("users").ForEach(func(_, u gjson.Result) bool {
			shared = u.String() == viewer || u.String() == "*"
			return !shared
		})
	}
	item.Get("tags").ForEach(func(_, tag gjson.Result) bool {
		shared = shared || tag.String() == "portal:user="+viewer
		return !shared
	})
	return shared
}

// fastCommentRule is commentRule without gjson's cost of decoding the
// whole message: it checks the decoded prefix on the raw value.
func fastCommentRule(item gjson.Result) bool {
	var external, message string
	m := members{s: item.Raw, i: 1}
	for key, val, ok := m.next(); ok; key, val, ok = m.next() {
		switch key {
		case "external":
			external = val
		case "message":
			message = val
		}
	}
	if external == "true" {
		return true
	}
	if !isString(message) {
		return false
	}
	for _, marker := range []string{"[external]", "[shared]"} {
		if _, ok := matchDecoded(content(message), 0, marker, true); ok {
			return true
		}
	}
	return false
}

func BenchmarkComments(b *testing.B) {
	body := benchComments(1000)
	cfg := testConfig()
	s := mustNew(b, cfg)
	sc := Scope{Visible: fastCommentRule, ServiceLogin: testLogin}
	b.Run("filter", func(b *testing.B) {
		benchList(b, body, func() error {
			_, _, err := s.List(config.KindComment, body, sc, Window{})
			return err
		})
	})
	b.Run("encoding_json", func(b *testing.B) {
		benchList(b, body, func() error {
			_, err := baselineComments(cfg, body, testLogin)
			return err
		})
	})
}

func BenchmarkCases(b *testing.B) {
	body := benchCases(200)
	cfg := testConfig()
	s := mustNew(b, cfg)
	sc := Scope{Visible: caseRule, ServiceLogin: testLogin}
	b.Run("filter", func(b *testing.B) {
		benchList(b, body, func() error {
			_, _, err := s.List(config.KindCase, body, sc, Window{})
			return err
		})
	})
	b.Run("encoding_json", func(b *testing.B) {
		benchList(b, body, func() error {
			_, err := baselineCases(cfg, body)
			return err
		})
	})
}

// BenchmarkGJSONDecider measures the comment list with commentRule, a
// decider that reads the message with gjson's Get, which decodes all of
// it: the cost a policy written that way adds to every comment list.
func BenchmarkGJSONDecider(b *testing.B) {
	body := benchComments(1000)
	s := mustNew(b, testConfig())
	sc := Scope{Visible: commentRule, ServiceLogin: testLogin}
	benchList(b, body, func() error {
		_, _, err := s.List(config.KindComment, body, sc, Window{})
		return err
	})
}

func benchList(b *testing.B, body []byte, run func() error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := run(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBaselineIsHonest: the encoding/json baseline and the filter produce
// the same JSON values on the benchmark data, and the benchmark data has
// the intended proportions.
func TestBaselineIsHonest(t *testing.T) {
	cfg := testConfig()
	s := mustNew(t, cfg)
	comments := benchComments(1000)
	if len(comments) < 1_000_000 || len(comments) > 1_300_000 {
		t.Errorf("comments are %d bytes, want about 1 MB", len(comments))
	}
	got, total, err := s.List(config.KindComment, comments, Scope{Visible: fastCommentRule, ServiceLogin: testLogin}, Window{})
	if err != nil || total != 500 {
		t.Fatalf("comments: total %d, error %v; want 500 visible", total, err)
	}
	slow, _, _ := s.List(config.KindComment, comments, Scope{Visible: commentRule, ServiceLogin: testLogin}, Window{})
	want, err := baselineComments(cfg, comments, testLogin)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "comments", got, want)
	assertSameJSON(t, "comments, gjson decider", slow, want)
	if n := strings.Count(string(got), `"createdBy":"user`); n != 125 {
		t.Errorf("%d comments attributed to external users, want 125", n)
	}

	cases := benchCases(200)
	got, total, err = s.List(config.KindCase, cases, Scope{Visible: caseRule}, Window{})
	if err != nil || total != 67 {
		t.Fatalf("cases: total %d, error %v; want 67 visible", total, err)
	}
	want, err = baselineCases(cfg, cases)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "cases", got, want)
}

func assertSameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: filter output: %v", what, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: baseline output: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s: filter and baseline differ\nfilter:   %.600s\nbaseline: %.600s", what, got, want)
	}
	if slices.Equal(got, []byte("[]")) {
		t.Fatalf("%s: nothing visible", what)
	}
}
