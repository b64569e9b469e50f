package notify

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/smtptest"
)

func sample(to string) Mail {
	return Mail{To: to, Event: EventShared, CaseID: "~41001", CaseNumber: 42,
		CaseTitle: "Phishing wave", Link: "https://portal.example.com/cases/~41001"}
}

func TestRenderHoldsOnlyNumberTitleAndLink(t *testing.T) {
	m := sample("jane@example.com")
	m.CaseTitle = "Line one\r\nBcc: evil@example.com\x00\u202e " + strings.Repeat("x", 300)
	for _, ev := range []Event{EventShared, EventComment, EventAttachment} {
		m.Event = ev
		subject, body := Render(m)
		if !strings.Contains(subject, "#42") || strings.Contains(subject, "Line one") {
			t.Errorf("%s: subject %q", ev, subject)
		}
		if !strings.Contains(body, "#42") || !strings.Contains(body, m.Link) || !strings.Contains(body, "Line one Bcc: evil@example.com") {
			t.Errorf("%s: body %q", ev, body)
		}
		if strings.ContainsAny(body, "\r\x00\u202e") || strings.Contains(body, strings.Repeat("x", 200)) {
			t.Errorf("%s: title not cleaned or not cut: %q", ev, body)
		}
	}
}

func smtpConfig(srv *smtptest.Server, tls string) config.Notify {
	return config.Notify{Enabled: true, From: "SOC portal <soc@example.com>", Period: time.Hour, QueueSize: 10,
		SMTP: config.SMTP{Host: srv.Host, Port: srv.Port, TLS: tls, Timeout: 5 * time.Second}}
}

func TestSMTPDelivers(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := NewSMTP(smtpConfig(srv, config.SMTPNoTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample("jane@example.com")); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Wait(t, 1, 5*time.Second)
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].To[0] != "jane@example.com" || msgs[0].From != "soc@example.com" || p.Subject != "Case #42 was shared with you" {
		t.Errorf("envelope %v / %q, subject %q", msgs[0].To, msgs[0].From, p.Subject)
	}
	if !strings.Contains(p.Text, `Case #42 "Phishing wave" was shared with you.`) || !strings.Contains(p.Text, "https://portal.example.com/cases/~41001") {
		t.Errorf("body %q", p.Text)
	}
}

// TestSMTPRequiresTLS: with starttls (the default) a server that offers no
// STARTTLS gets nothing.
func TestSMTPRequiresTLS(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := NewSMTP(smtpConfig(srv, config.SMTPStartTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample("jane@example.com")); err == nil {
		t.Fatal("sent without TLS")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d message(s) reached a server without TLS", n)
	}
}

// memStore is a minimal Store with expiry.
type memStore struct {
	mu   sync.Mutex
	keys map[string]time.Time
	err  error
}

func (m *memStore) Add(_ context.Context, key string, _ []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return false, m.err
	}
	if exp, ok := m.keys[key]; ok && time.Now().Before(exp) {
		return false, nil
	}
	m.keys[key] = time.Now().Add(ttl)
	return true, nil
}

func (m *memStore) Delete(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.keys, k)
	}
	return nil
}

type results struct {
	mu  sync.Mutex
	got []Result
}

func (r *results) add(x Result) { r.mu.Lock(); r.got = append(r.got, x); r.mu.Unlock() }
func (r *results) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := make([]string, len(r.got))
	for i, x := range r.got {
		s[i] = string(x)
	}
	return strings.Join(s, ",")
}

func newQueue(t *testing.T, srv *smtptest.Server, st Store, period time.Duration, size int) (*Queue, *results) {
	t.Helper()
	s, err := NewSMTP(smtpConfig(srv, config.SMTPNoTLS))
	if err != nil {
		t.Fatal(err)
	}
	res := &results{}
	q, err := NewQueue(s, st, Options{Period: period, Size: size, Observe: res.add})
	if err != nil {
		t.Fatal(err)
	}
	return q, res
}

func jobOf(mails ...Mail) Job { return func(context.Context) ([]Mail, error) { return mails, nil } }

// TestQueueRateLimit: one mail per recipient and case per period; another
// case or another recipient is not limited; a failed send gives the claim
// back.
func TestQueueRateLimit(t *testing.T) {
	srv := smtptest.Start(t)
	q, res := newQueue(t, srv, &memStore{keys: map[string]time.Time{}}, time.Minute, 10)
	other := sample("bob@example.com")
	otherCase := sample("jane@example.com")
	otherCase.CaseID = "~41002"
	q.Enqueue(jobOf(sample("jane@example.com"), sample("Jane@Example.com"), other, otherCase))
	q.Enqueue(jobOf(sample("jane@example.com")))
	q.Enqueue(func(context.Context) ([]Mail, error) {
		srv.FailNext(1)
		return []Mail{sample("carol@example.com")}, nil
	})
	q.Enqueue(jobOf(sample("carol@example.com")))
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := res.String(), "sent,limited,sent,sent,limited,failed,sent"; got != want {
		t.Errorf("results %s, want %s", got, want)
	}
	if n := len(srv.Messages()); n != 4 {
		t.Errorf("%d messages, want 4", n)
	}
	q2, res2 := newQueue(t, srv, &memStore{keys: map[string]time.Time{}}, 50*time.Millisecond, 10)
	q2.Enqueue(jobOf(sample("jane@example.com")))
	if err := q2.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the period ends
	q2.Enqueue(jobOf(sample("jane@example.com")))
	_ = q2.Close(context.Background())
	if got := res2.String(); got != "sent,sent" {
		t.Errorf("after the period: %s", got)
	}
}

// TestQueueBoundedAndFailClosed: a full queue drops events, a closed one
// takes none, a store error sends nothing, a failed job is counted.
func TestQueueBoundedAndFailClosed(t *testing.T) {
	srv := smtptest.Start(t)
	st := &memStore{keys: map[string]time.Time{}, err: errors.New("store down")}
	q, res := newQueue(t, srv, st, time.Hour, 1)
	started, release := make(chan struct{}), make(chan struct{})
	q.Enqueue(func(context.Context) ([]Mail, error) {
		close(started)
		<-release
		return []Mail{sample("jane@example.com")}, nil
	})
	<-started // the worker holds the first job; the queue is empty
	q.Enqueue(func(context.Context) ([]Mail, error) { return nil, errors.New("thehive down") })
	if q.Enqueue(jobOf(sample("x@example.com"))) {
		t.Error("a full queue took a job")
	}
	close(release)
	_ = q.Close(context.Background())
	if q.Enqueue(jobOf(sample("x@example.com"))) {
		t.Error("a closed queue took a job")
	}
	if got, want := res.String(), "dropped,failed,job_failed,dropped"; got != want {
		t.Errorf("results %s, want %s", got, want)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent while the store was down", n)
	}
}

// TestQueueCloseCancelsAtDeadline: Close returns when its context ends,
// cancelling the job in progress.
func TestQueueCloseCancelsAtDeadline(t *testing.T) {
	srv := smtptest.Start(t)
	q, _ := newQueue(t, srv, &memStore{keys: map[string]time.Time{}}, time.Hour, 10)
	q.Enqueue(func(ctx context.Context) ([]Mail, error) { <-ctx.Done(); return nil, ctx.Err() })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := q.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close = %v", err)
	}
}
