package proxy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/thehive-portal/thehive-portal/internal/smtptest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/store"
	"github.com/thehive-portal/thehive-portal/proxy/store/storetest"
)

// notifyEnv is a portal with notifications on, sending to a local SMTP
// server, and the simulator's webhooks pointed at it.
func notifyEnv(t *testing.T) (*env, *smtptest.Server, *store.Redis) {
	t.Helper()
	mail := smtptest.Start(t)
	kv := storetest.NewRedis(t)
	e := newEnv(t, withKV(kv), withYAML(fmt.Sprintf("notify:\n  enabled: true\n  from: SOC portal <soc@example.com>\n"+
		"  period: 1h\n  smtp:\n    host: %s\n    port: %d\n    tls: none\n", mail.Host, mail.Port)))
	e.sim.SetWebhook(e.url+"/hooks/thehive", e.secret)
	return e, mail, kv
}

// settle waits until the simulator delivered its webhooks and the portal
// ran every notification job they queued.
func (e *env) settle() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.sim.FlushWebhooks(ctx); err != nil {
		e.t.Fatal(err)
	}
	if q := e.srv.queue(); q != nil {
		if err := q.Flush(ctx); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestNotifications: mails arrive for a new share, a new external comment
// and a new external attachment; they hold only number, title and link;
// one per user and case per period; none to the author of a comment, none
// for internal items, none for group shares; webhooks are never slowed.
func TestNotifications(t *testing.T) {
	e, mail, kv := notifyEnv(t)
	sim := e.sim
	fresh := sim.CreateCase(thehivetest.AnalystLogin, thehivetest.NewCase{Title: "Suspicious login", Description: "CANARY-notify-description"})
	e.settle()
	must(t, sim.SetCaseTags(fresh.ID, []string{"triage", "portal:user=" + thehivetest.BobEmail}))
	_, err := sim.AddComment(thehivetest.CaseUserTagID, thehivetest.AnalystLogin, "[external] CANARY-notify-comment", false)
	must(t, err)
	_, err = sim.AddComment(thehivetest.CaseUserTagID, thehivetest.AnalystLogin, "[external] a second one", false)
	must(t, err)
	_, err = sim.AddComment(thehivetest.Case42ID, thehivetest.AnalystLogin, "internal only", false)
	must(t, err)
	_, err = sim.AddAttachment(thehivetest.Case42ID, thehivetest.AnalystLogin, "CANARY-notify-file.pdf", "application/pdf", []byte("x"), true)
	must(t, err)
	group := sim.CreateCase(thehivetest.AnalystLogin, thehivetest.NewCase{Title: "HR matter"})
	must(t, sim.SetCaseTags(group.ID, []string{"portal:group=" + thehivetest.HRGroup}))
	e.settle()
	carol := e.bearer(thehivetest.CarolEmail)
	if r := carol.postJSON("/api/v1/case/"+thehivetest.CaseCreatedByID+"/comment", `{"message":"from carol"}`); r.StatusCode != 201 {
		t.Fatalf("carol's comment: %d %s", r.StatusCode, r.body)
	}
	e.settle()
	if n := len(mail.Messages()); n != 3 {
		t.Fatalf("after carol's own comment: %d mails, want 3", n)
	}
	_, err = sim.AddComment(thehivetest.CaseCreatedByID, thehivetest.LeadLogin, "[external] answer to carol", false)
	must(t, err)
	e.settle()

	got := mailsByRecipient(t, e, mail.Messages())
	want := map[string]string{
		thehivetest.BobEmail:   fmt.Sprintf("Case #%d was shared with you|Suspicious login|%s", fresh.Number, fresh.ID),
		thehivetest.AliceEmail: "New comment on case #43|" + "|" + thehivetest.CaseUserTagID,
		thehivetest.JaneEmail:  "New attachment on case #42|Phishing wave targeting finance team|" + thehivetest.Case42ID,
		thehivetest.CarolEmail: "New comment on case #48||" + thehivetest.CaseCreatedByID,
	}
	if len(got) != len(want) {
		t.Fatalf("mails to %v, want %d recipients", keys(got), len(want))
	}
	for to, w := range want {
		parts := strings.Split(w, "|")
		m, ok := got[to]
		if !ok || m.Subject != parts[0] || !strings.Contains(m.Text, parts[1]) || !strings.Contains(m.Text, e.url+"/cases/"+parts[2]) {
			t.Errorf("mail to %s = %+v, want %q", to, m, w)
		}
	}
	checkNotifyCounters(t, e, 4)
	checkWebhooksAnswered(t, sim)
	checkNoAddressesStored(t, kv)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mailsByRecipient parses the mails, checks each holds nothing but the
// greeting, number, title and link, and scans it for canaries.
func mailsByRecipient(t *testing.T, e *env, msgs []smtptest.Message) map[string]smtptest.Parsed {
	t.Helper()
	out := map[string]smtptest.Parsed{}
	for _, m := range msgs {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		e.scan.checkText("mail", p.Subject+"\n"+p.Text)
		if len(m.To) != 1 || out[m.To[0]].Subject != "" {
			t.Errorf("one mail per recipient, got %v (twice: %v)", m.To, out[m.To[0]].Subject != "")
		}
		lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(p.Text, "\r\n", "\n")), "\n")
		if len(lines) != 8 || !strings.HasPrefix(lines[2], "Case #") || !strings.HasPrefix(lines[5], e.url+"/cases/~") {
			t.Errorf("mail to %v holds more than number, title and link:\n%s", m.To, p.Text)
		}
		for _, leak := range []string{"CANARY-notify", "answer to carol", "second one", "internal only", "from carol"} {
			if strings.Contains(p.Text, leak) {
				t.Errorf("mail to %v holds %q", m.To, leak)
			}
		}
		out[m.To[0]] = p
	}
	return out
}

func keys(m map[string]smtptest.Parsed) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkNotifyCounters: the sent and limited series count what happened.
func checkNotifyCounters(t *testing.T, e *env, sent int) {
	t.Helper()
	if got := counterValue(t, e.srv, "thehive_portal_notifications_total", "result", "sent"); got != float64(sent) {
		t.Errorf("notifications sent = %v, want %d", got, sent)
	}
	if got := counterValue(t, e.srv, "thehive_portal_notifications_total", "result", "limited"); got < 1 {
		t.Errorf("notifications limited = %v, want at least 1 (alice's second comment)", got)
	}
}

// checkWebhooksAnswered: every webhook got its 204 (notifications never
// fail the webhook).
func checkWebhooksAnswered(t *testing.T, sim *thehivetest.Server) {
	t.Helper()
	for _, d := range sim.WebhookDeliveries() {
		if d.Status != 204 {
			t.Errorf("webhook %s %s answered %d %s", d.Action, d.ObjectType, d.Status, d.Err)
		}
	}
}

// checkNoAddressesStored: the notification state holds hashes, not
// addresses.
func checkNoAddressesStored(t *testing.T, kv *store.Redis) {
	t.Helper()
	raw := storetest.Raw(t)
	ctx := context.Background()
	ks, err := raw.Keys(ctx, kv.Prefix()+"notify:*").Result()
	if err != nil || len(ks) == 0 {
		t.Fatalf("notify keys: %v %v", ks, err)
	}
	for _, k := range ks {
		v, _ := raw.Get(ctx, k).Result()
		if strings.Contains(k+v, "@") {
			t.Errorf("store holds an address: %s = %s", k, v)
		}
	}
}

// counterValue reads one series of a counter from the server's registry.
func counterValue(t *testing.T, s *Server, name, label, value string) float64 {
	t.Helper()
	mfs, err := s.metrics.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if hasLabel(m, label, value) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}
