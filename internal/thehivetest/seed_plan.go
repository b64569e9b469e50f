package thehivetest

import (
	"fmt"
	"strconv"
)

// seeder writes seeded objects with fixed ids and times into a store (caller holds
// mu) and records their description.
type seeder struct {
	st   *store
	info *Seeded
}

// seedInto loads the whole scenario into st.
func seedInto(st *store) (Seeded, error) {
	sd := &seeder{st: st, info: &Seeded{Personas: Personas()}}
	sd.fixtureCases()
	for _, sp := range shareSpecs() {
		sd.sharedCase(sp)
	}
	for _, sp := range unsharedSpecs() {
		sd.unsharedCase(sp)
	}
	sd.alert()
	return *sd.info, nil
}

// at returns a silent transaction (no webhook) by actor at ts.
func (sd *seeder) at(actor string, ts int64) *txn {
	sd.st.reqSeq++
	return &txn{actor: actor, at: ts, silent: true,
		reqID: fmt.Sprintf("5b1f0c2a9e7d4f11:-4a3c2e10:seed:-8000:%d", sd.st.reqSeq)}
}

func (sd *seeder) canary(kind, id, field string) string {
	v := CanaryPrefix + kind + "-" + id + "-" + field
	sd.info.Canaries = append(sd.info.Canaries, Canary{Kind: kind, ID: id, Field: field, Value: v})
	return v
}

// sentinel registers a fixture text as a canary.
func (sd *seeder) sentinel(kind, id, field, value string) {
	sd.info.Canaries = append(sd.info.Canaries, Canary{Kind: kind, ID: id, Field: field, Value: value})
}

func gid(n int64) string { return "~" + strconv.FormatInt(n, 10) }

// caseSeed builds the items of one case with ids base+offset and times t0+k minutes.
type caseSeed struct {
	sd   *seeder
	c    *caseRec
	info *SeededCase
	base int64
	t0   int64
}

func (b *caseSeed) id(off int64) string { return gid(b.base + off) }

func (b *caseSeed) ts(k int64) int64 { return b.t0 + k*60000 }

func (b *caseSeed) comment(off int64, by, msg string, external, visible bool) {
	cm := Comment{ID: b.id(off), Message: msg, External: external}
	b.sd.st.createComment(b.sd.at(by, b.ts(off)), b.c, nil, cm)
	listAdd(&b.info.VisibleComments, &b.info.HiddenComments, cm.ID, visible)
}

func (b *caseSeed) attachment(off int64, name, ctype, content string, external, visible bool) string {
	bl := newBlob(name, ctype, []byte(content))
	bl.id = b.id(off)
	b.sd.st.addCaseAttachment(b.sd.at(AnalystLogin, b.ts(off)), b.c, bl, external)
	listAdd(&b.info.VisibleAttachments, &b.info.HiddenAttachments, bl.id, visible)
	return bl.id
}

func (b *caseSeed) observable(off int64, by string, o Observable, file *blob, visible bool) {
	o.ID = b.id(off)
	b.sd.st.createObservable(b.sd.at(by, b.ts(off)), b.c, o, file)
	listAdd(&b.info.VisibleObservables, &b.info.HiddenObservables, o.ID, visible)
}

// taskWithLog adds a canary task at +40 with a canary log at +50.
func (b *caseSeed) taskWithLog() {
	tid, lid := b.id(40), b.id(50)
	tk := Task{ID: tid, Title: b.sd.canary("task", tid, "title"), Description: b.sd.canary("task", tid, "description"),
		Status: "InProgress", Group: "investigation", StartDate: b.ts(40), Assignee: AnalystLogin}
	trec := b.sd.st.createTask(b.sd.at(AnalystLogin, b.ts(40)), b.c, tk)
	b.sd.st.createLog(b.sd.at(AnalystLogin, b.ts(50)), trec, Log{ID: lid, Message: b.sd.canary("log", lid, "message")}, nil)
	b.info.Tasks, b.info.Logs = append(b.info.Tasks, tid), append(b.info.Logs, lid)
}

func listAdd(visible, hidden *[]string, id string, isVisible bool) {
	if isVisible {
		*visible = append(*visible, id)
		return
	}
	*hidden = append(*hidden, id)
}

// newCase stores c and starts its item builder.
func (sd *seeder) newCase(c Case, base, t0 int64, info SeededCase) *caseSeed {
	rec := sd.st.createCase(sd.at(c.CreatedBy, c.CreatedAt), c, nil)
	sd.info.Cases = append(sd.info.Cases, info)
	ci := &sd.info.Cases[len(sd.info.Cases)-1]
	return &caseSeed{sd: sd, c: rec, info: ci, base: base, t0: t0}
}

func (sd *seeder) alert() {
	id := SeededAlertID
	a := Alert{ID: id, AlertType: "external", Source: "simulator", SourceRef: SeededAlertSourceID,
		Title: sd.canary("alert", id, "title"), Description: sd.canary("alert", id, "description"),
		Severity: 2, TLP: 2, PAP: 2, Date: 1717420000000}
	sd.st.createAlert(sd.at(AnalystLogin, 1717420000000), a)
	sd.info.Alerts = append(sd.info.Alerts, id)
}
