package thehivetest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// allObjectsJSON renders every stored object, with attachment contents, as text.
func allObjectsJSON(t *testing.T, s *Sim) string {
	t.Helper()
	var b strings.Builder
	add := func(v any) {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	for _, c := range s.Cases() {
		add(c)
		for _, v := range s.Comments(c.ID) {
			add(v)
		}
		for _, v := range s.Observables(c.ID) {
			add(v)
			if v.Attachment != nil {
				content, _ := s.AttachmentContent(v.Attachment.ID)
				b.Write(content)
			}
		}
		for _, v := range s.Attachments(c.ID) {
			add(v)
			content, _ := s.AttachmentContent(v.ID)
			b.Write(content)
		}
		for _, tk := range s.Tasks(c.ID) {
			add(tk)
			for _, l := range s.Logs(tk.ID) {
				add(l)
			}
		}
	}
	s.st.mu.RLock()
	for _, a := range s.st.alerts {
		add(a.render())
	}
	s.st.mu.RUnlock()
	return b.String()
}

func TestSeedScenarioExists(t *testing.T) {
	s := New(WithSeed())
	defer s.Close()
	info := Scenario()
	if len(info.Cases) != 12 || len(info.Alerts) != 1 || len(info.Personas) != 6 {
		t.Fatalf("scenario: %d cases %d alerts %d personas", len(info.Cases), len(info.Alerts), len(info.Personas))
	}
	for _, sc := range info.Cases {
		c, ok := s.Case(sc.ID)
		if !ok || c.Number != sc.Number {
			t.Fatalf("case %s #%d missing", sc.ID, sc.Number)
		}
		checkItems(t, sc.ID, idsOf(s.Comments(sc.ID), func(c Comment) string { return c.ID }), sc.VisibleComments, sc.HiddenComments)
		checkItems(t, sc.ID, idsOf(s.Attachments(sc.ID), func(a Attachment) string { return a.ID }), sc.VisibleAttachments, sc.HiddenAttachments)
		checkItems(t, sc.ID, idsOf(s.Observables(sc.ID), func(o Observable) string { return o.ID }), sc.VisibleObservables, sc.HiddenObservables)
		checkItems(t, sc.ID, idsOf(s.Tasks(sc.ID), func(tk Task) string { return tk.ID }), sc.Tasks, nil)
		if (sc.Rule == RuleNone) != (len(sc.VisibleTo) == 0) {
			t.Fatalf("%s: rule %q but visible to %v", sc.ID, sc.Rule, sc.VisibleTo)
		}
	}
	c42, _ := s.Case(Case42ID)
	if c42.Access.Kind != AccessExternal || c42.Access.Users[0] != JaneEmail {
		t.Fatalf("case 42 access: %+v", c42.Access)
	}
	if c, _ := s.Case(CaseUserTagID); !slices.Contains(c.Tags, "portal:user="+AliceEmail) || !slices.Contains(c.Tags, "portal:attachment=~42022") {
		t.Fatalf("user-tag case tags: %v", c.Tags)
	}
	if a, _ := s.Attachment("~42022"); a.External {
		t.Fatal("tag-marked attachment must not be natively external")
	}
	if o, _ := s.Observable("~42032"); !slices.Contains(o.Tags, "portal:by="+AliceEmail) || o.External {
		t.Fatalf("portal:by observable: %+v", o)
	}
	if c, _ := s.Case(CaseExternalStarID); c.Access.Users[0] != "*" {
		t.Fatalf("star access: %+v", c.Access)
	}
	if len(s.Audits()) == 0 {
		t.Fatal("seed made no audits")
	}
	if err := Seed(s); err == nil {
		t.Fatal("seeding twice succeeded")
	}
}

func idsOf[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func checkItems(t *testing.T, caseID string, stored, visible, hidden []string) {
	t.Helper()
	listed := append(append([]string{}, visible...), hidden...)
	slices.Sort(listed)
	stored = slices.Clone(stored)
	slices.Sort(stored)
	if !slices.Equal(stored, listed) {
		t.Fatalf("case %s: stored %v, scenario lists %v", caseID, stored, listed)
	}
}

var canaryRE = regexp.MustCompile(`CANARY-[a-z]+-~[0-9]+-[A-Za-z]+`)

// TestCanariesAreListed checks that every canary in the store is listed by Scenario,
// that every listed canary is stored, that hidden items carry one and that no
// visible text of a shared case contains one.
func TestCanariesAreListed(t *testing.T) {
	s := New(WithSeed())
	defer s.Close()
	info := Scenario()
	all := allObjectsJSON(t, s)
	listed := map[string]bool{}
	for _, c := range info.Canaries {
		listed[c.Value] = true
		if !strings.Contains(all, c.Value) {
			t.Errorf("listed canary %q is not stored", c.Value)
		}
		if strings.HasPrefix(c.Value, CanaryPrefix) && c.Value != CanaryPrefix+c.Kind+"-"+c.ID+"-"+c.Field {
			t.Errorf("canary %+v is not named after its kind, id and field", c)
		}
	}
	for _, found := range canaryRE.FindAllString(all, -1) {
		if !listed[found] {
			t.Errorf("stored canary %q is not listed", found)
		}
	}
	if n := strings.Count(all, CanaryPrefix); n < len(canaryRE.FindAllString(all, -1)) {
		t.Errorf("malformed canaries")
	}
	for _, sc := range info.Cases {
		checkHiddenHaveCanaries(t, s, info, sc)
		checkVisibleClean(t, s, sc)
	}
}

func hasCanary(info Seeded, id string) bool {
	return slices.ContainsFunc(info.Canaries, func(c Canary) bool { return c.ID == id })
}

func checkHiddenHaveCanaries(t *testing.T, s *Sim, info Seeded, sc SeededCase) {
	t.Helper()
	hidden := slices.Concat(sc.HiddenComments, sc.HiddenAttachments, sc.HiddenObservables, sc.Tasks, sc.Logs)
	if len(sc.VisibleTo) == 0 {
		hidden = append(hidden, sc.ID)
	}
	for _, id := range hidden {
		if !hasCanary(info, id) {
			t.Errorf("hidden item %s of case %s has no canary", id, sc.ID)
		}
	}
	if len(sc.VisibleTo) > 0 && sc.ID != Case42ID && !hasCanary(info, sc.ID) {
		t.Errorf("shared case %s has no canary in its hidden fields", sc.ID)
	}
}

func checkVisibleClean(t *testing.T, s *Sim, sc SeededCase) {
	t.Helper()
	if len(sc.VisibleTo) == 0 {
		return
	}
	c, _ := s.Case(sc.ID)
	texts := []string{c.Title, c.Description}
	for _, id := range sc.VisibleComments {
		cm, _ := s.Comment(id)
		texts = append(texts, cm.Message)
	}
	for _, id := range sc.VisibleAttachments {
		a, _ := s.Attachment(id)
		content, _ := s.AttachmentContent(id)
		texts = append(texts, a.Name, string(content))
	}
	for _, id := range sc.VisibleObservables {
		o, _ := s.Observable(id)
		texts = append(texts, o.Data, o.Message)
	}
	for _, txt := range texts {
		if strings.Contains(txt, CanaryPrefix) {
			t.Errorf("visible text of case %s carries a canary: %q", sc.ID, txt)
		}
		if sc.Marker != "" && txt != "" && !strings.Contains(txt, sc.Marker) && !strings.Contains(txt, strings.ToLower(sc.Marker)) {
			t.Errorf("visible text of case %s lacks marker %s: %q", sc.ID, sc.Marker, txt)
		}
	}
}

func TestScenarioIsDeterministic(t *testing.T) {
	a, b := Scenario(), Scenario()
	assertEqualJSON(t, "scenario", a, b)
	s1, s2 := New(WithSeed()), New(WithSeed())
	defer s1.Close()
	defer s2.Close()
	if allObjectsJSON(t, s1) != allObjectsJSON(t, s2) {
		t.Fatal("two seeded simulators differ")
	}
}

func TestSeedBulk(t *testing.T) {
	s := New()
	defer s.Close()
	res := SeedBulk(s, Bulk{Cases: 3, CommentsPerCase: 4, BigCaseComments: 1000})
	if len(res.CaseIDs) != 3 || res.BigCaseID == "" {
		t.Fatalf("bulk: %+v", res)
	}
	comments := s.Comments(res.BigCaseID)
	if len(comments) != 1000 || !comments[0].External || comments[1].External {
		t.Fatalf("big case: %d comments", len(comments))
	}
	if n := len(comments[0].Message); n < 900 || n > 1300 {
		t.Fatalf("comment size %d", n)
	}
	if !strings.HasPrefix(comments[1].Message, CanaryPrefix) {
		t.Fatal("internal bulk comment without canary")
	}
	c, _ := s.Case(res.CaseIDs[0])
	if c.Access.Users[0] != BulkEmail || !slices.Contains(c.Tags, "portal:user="+BulkEmail) {
		t.Fatalf("bulk case sharing: %+v", c)
	}
	if n := len(c.Description); n < 400 || n > 800 {
		t.Errorf("bulk case description of %d bytes", n)
	}
	if !strings.Contains(c.Summary, CanaryPrefix) || len(c.CustomFields) != 2 || c.Assignee == "" {
		t.Errorf("bulk case without its hidden fields: %+v", c)
	}
	if len(s.Audits()) != 0 {
		t.Fatal("bulk data made audits")
	}
}

// TestRetention: with WithRetention(n), a case keeps its seeded comments
// and the newest of the others up to n, and the audits stay between n and
// 2n, however many writes come.
func TestRetention(t *testing.T) {
	s := New(WithSeed(), WithRetention(5))
	defer s.Close()
	seeded := s.Comments(CaseUserTagID)
	for i := range 40 {
		if _, err := s.AddComment(CaseUserTagID, AnalystLogin, fmt.Sprintf("note %d", i), true); err != nil {
			t.Fatal(err)
		}
	}
	comments := s.Comments(CaseUserTagID)
	if len(comments) != len(seeded)+5 || comments[len(comments)-1].Message != "note 39" {
		t.Errorf("kept %d comments (%d seeded), last %+v", len(comments), len(seeded), comments[len(comments)-1])
	}
	for i, c := range seeded {
		if comments[i].ID != c.ID {
			t.Errorf("seeded comment %d forgotten", i)
		}
	}
	if n := len(s.Audits()); n < 5 || n >= 10 {
		t.Errorf("kept %d audits", n)
	}
}
