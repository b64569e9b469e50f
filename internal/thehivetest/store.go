package thehivetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// firstDynamicID is the first graph id handed out at run time. Seeded objects use
// fixed ids below it, so run-time ids are deterministic too.
const firstDynamicID = 100000

type caseRec struct {
	Case
	seq                                       int64
	comments, attachments, observables, tasks []string
}

type commentRec struct {
	Comment
	seq             int64
	caseID, alertID string
}

type attachmentRec struct {
	Attachment
	seq int64
	// Exactly one owner is set: caseID (case attachments), obsID or logID.
	caseID, obsID, logID string
	content              []byte
	stored               bool // false: content discarded, downloads return filler
}

type observableRec struct {
	Observable
	seq          int64
	caseID       string
	attachmentID string
}

type taskRec struct {
	Task
	seq    int64
	caseID string
	logs   []string
}

type logRec struct {
	Log
	seq         int64
	taskID      string
	attachments []string
}

type alertRec struct {
	Alert
	seq int64
}

// store holds every object. Slices inside records are never modified in place, only
// replaced, so rendered copies may share them.
type store struct {
	mu          sync.RWMutex
	now         func() time.Time
	emit        func(Audit)
	nextID      int64
	seq         int64
	reqSeq      int64
	maxNumber   int
	cases       map[string]*caseRec
	byNumber    map[int]*caseRec
	comments    map[string]*commentRec
	attachments map[string]*attachmentRec
	observables map[string]*observableRec
	tasks       map[string]*taskRec
	logs        map[string]*logRec
	alerts      map[string]*alertRec
	audits      []Audit
	// retain > 0 bounds the audits and each case's comments (WithRetention);
	// comments up to seedSeq (the seed's) are never dropped.
	retain  int
	seedSeq int64
	// version counts write locks; gen caches generic forms per version.
	version uint64
	gen     genCache
}

func newStore(now func() time.Time, emit func(Audit)) *store {
	return &store{
		now: now, emit: emit, nextID: firstDynamicID,
		cases: map[string]*caseRec{}, byNumber: map[int]*caseRec{},
		comments: map[string]*commentRec{}, attachments: map[string]*attachmentRec{},
		observables: map[string]*observableRec{}, tasks: map[string]*taskRec{},
		logs: map[string]*logRec{}, alerts: map[string]*alertRec{},
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// newID returns the next `~id`; the caller holds mu.
func (st *store) newID() string {
	id := "~" + itoa(st.nextID)
	st.nextID++
	return id
}

// idOr returns id, or a new id when id is empty; the caller holds mu.
func (st *store) idOr(id string) string {
	if id == "" {
		return st.newID()
	}
	return id
}

func (st *store) nextSeq() int64 { st.seq++; return st.seq }

// caseByRef resolves `~id` or a case number; the caller holds mu.
func (st *store) caseByRef(ref string) *caseRec {
	if strings.HasPrefix(ref, "~") {
		return st.cases[ref]
	}
	n, err := strconv.Atoi(ref)
	if err != nil || n <= 0 || strconv.Itoa(n) != ref {
		return nil
	}
	return st.byNumber[n]
}

// nextNumber returns the next case number; numbers of deleted cases are not reused.
func (st *store) nextNumber() int { return st.maxNumber + 1 }

// txn groups the audits of one request: same requestId, first one is mainAction.
type txn struct {
	actor   string
	reqID   string
	at      int64
	n       int
	silent  bool // no webhook (seeding)
	noAudit bool // no audit either (bulk data)
}

// begin starts a change made by actor; the caller holds mu.
func (st *store) begin(actor string) *txn {
	st.reqSeq++
	return &txn{
		actor: actor, at: st.now().UnixMilli(),
		reqID: fmt.Sprintf("5b1f0c2a9e7d4f11:-4a3c2e10:18fd0a1b2c3:-8000:%d", st.reqSeq),
	}
}

// auditEntry describes one audited change.
type auditEntry struct {
	action, objectType, objectID, rootID string
	details                              map[string]any
	object, context                      any
}

// audit records an audit entry and hands it to emit; the caller holds mu.
func (st *store) audit(t *txn, e auditEntry) {
	if t.noAudit {
		return
	}
	a := Audit{
		ID: st.newID(), Type: "Audit", CreatedBy: t.actor, CreatedAt: t.at,
		Action: e.action, MainAction: t.n == 0, RequestID: t.reqID, RootID: e.rootID,
		Details: e.details, ObjectID: e.objectID, ObjectType: e.objectType,
		Object: rawJSON(e.object), Context: rawJSON(e.context),
	}
	if a.Details == nil {
		a.Details = map[string]any{}
	}
	t.n++
	st.audits = append(st.audits, a)
	if st.retain > 0 && len(st.audits) >= 2*st.retain {
		st.audits = slices.Clone(st.audits[len(st.audits)-st.retain:])
	}
	if !t.silent && st.emit != nil {
		st.emit(a)
	}
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// without returns ids minus id (a new slice).
func without(ids []string, id string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == id })
}

// sortedBySeq returns the records of m in insertion order.
func sortedBySeq[R any](m map[string]R, seq func(R) int64) []R {
	out := make([]R, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b R) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}
