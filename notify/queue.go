package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Store is what the queue needs of the shared store; store.KV has it. Add
// must be atomic across replicas (Redis SET NX).
type Store interface {
	Add(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	Delete(ctx context.Context, keys ...string) error
}

// Job turns one event into the mails it causes. It runs on the queue's
// worker, never on the caller's goroutine.
type Job func(ctx context.Context) ([]Mail, error)

// Result is the outcome of one event or mail, for metrics.
type Result string

// The results Options.Observe receives.
const (
	ResultSent      Result = "sent"       // a mail was delivered
	ResultFailed    Result = "failed"     // a mail could not be delivered
	ResultLimited   Result = "limited"    // a mail was skipped: one was sent within the period
	ResultDropped   Result = "dropped"    // an event was dropped: the queue was full or closed
	ResultJobFailed Result = "job_failed" // an event could not be turned into mails
)

// Options configure a Queue.
type Options struct {
	// Period: at most one mail per recipient and case in this period.
	// Required.
	Period time.Duration
	// Size bounds the events waiting. Default 1000.
	Size int
	// JobTimeout bounds one event, its mails included. Default 1m.
	JobTimeout time.Duration
	// Logger receives failures; nil: discarded.
	Logger *slog.Logger
	// Observe, when set, is called with every result.
	Observe func(Result)
}

// Queue runs jobs one at a time on a background worker and sends the
// mails they return, rate-limited per recipient and case. Enqueue never
// blocks. Build it with NewQueue and stop it with Close.
type Queue struct {
	sender Sender
	store  Store
	o      Options
	jobs   chan Job
	mu     sync.RWMutex
	closed bool
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

// NewQueue starts the worker.
func NewQueue(sender Sender, st Store, o Options) (*Queue, error) {
	if sender == nil || st == nil || o.Period <= 0 {
		return nil, errors.New("notify: a sender, a store and a period are required")
	}
	if o.Size <= 0 {
		o.Size = 1000
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	q := &Queue{sender: sender, store: st, o: o, jobs: make(chan Job, o.Size), done: make(chan struct{})}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	go q.run()
	return q, nil
}

// Enqueue adds a job; it reports false (and observes ResultDropped) when
// the queue is full or closed.
func (q *Queue) Enqueue(j Job) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if !q.closed {
		select {
		case q.jobs <- j:
			return true
		default:
		}
	}
	q.observe(ResultDropped)
	return false
}

// Flush waits until every job queued before it has run, or ctx ends. It
// fails when the queue is full or closed.
func (q *Queue) Flush(ctx context.Context) error {
	done := make(chan struct{})
	q.mu.RLock()
	ok := false
	if !q.closed {
		select {
		case q.jobs <- func(context.Context) ([]Mail, error) { close(done); return nil, nil }:
			ok = true
		default:
		}
	}
	q.mu.RUnlock()
	if !ok {
		return errors.New("notify: queue full or closed")
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops taking jobs and lets the worker finish the queued ones until
// ctx ends; then the job in progress is cancelled. It returns ctx's error
// when the queue was not drained.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
	q.mu.Unlock()
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		q.cancel()
		<-q.done
		return ctx.Err()
	}
}

func (q *Queue) run() {
	defer close(q.done)
	for j := range q.jobs {
		if q.ctx.Err() != nil {
			q.observe(ResultDropped)
			continue
		}
		q.runJob(j)
	}
}

// runJob runs one job and sends its mails.
func (q *Queue) runJob(j Job) {
	ctx, cancel := context.WithTimeout(q.ctx, q.o.JobTimeout)
	defer cancel()
	mails, err := j(ctx)
	if err != nil {
		q.o.Logger.Warn("notification event failed", "err", err)
		q.observe(ResultJobFailed)
		return
	}
	for _, m := range mails {
		q.observe(q.deliver(ctx, m))
	}
}

// deliver sends m unless a mail went to the same recipient about the same
// case within the period. The claim is taken before sending (so replicas
// never both send) and given back when sending fails.
func (q *Queue) deliver(ctx context.Context, m Mail) Result {
	key := limitKey(m.To, m.CaseID)
	ok, err := q.store.Add(ctx, key, []byte("1"), q.o.Period)
	if err != nil {
		q.o.Logger.Warn("notification state unavailable; mail not sent", "case", m.CaseID, "err", err)
		return ResultFailed
	}
	if !ok {
		return ResultLimited
	}
	if err := q.sender.Send(ctx, m); err != nil {
		q.o.Logger.Warn("notification mail failed", "case", m.CaseID, "event", string(m.Event), "err", err)
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = q.store.Delete(dctx, key)
		return ResultFailed
	}
	return ResultSent
}

// limitKey names the rate-limit state of one recipient and case; the
// address is hashed so that the store holds no email addresses.
func limitKey(to, caseID string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(to)) + "\x00" + caseID))
	return "notify:sent:" + hex.EncodeToString(sum[:16])
}

func (q *Queue) observe(r Result) {
	if q.o.Observe != nil {
		q.o.Observe(r)
	}
}
