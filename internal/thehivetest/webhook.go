package thehivetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// WebhookDelivery is the outcome of one webhook POST.
type WebhookDelivery struct {
	AuditID    string
	Action     string
	ObjectType string
	ObjectID   string
	RootID     string
	URL        string
	Body       []byte
	Status     int    // HTTP status, 0 if the request failed
	Err        string // empty on a 2xx answer
	Time       time.Time
}

// webhookOrg is the `organisation` object TheHive 5 adds to the audit envelope.
type webhookOrg struct {
	OrganisationID string `json:"organisationId"`
	Organisation   string `json:"organisation"`
}

type webhookBody struct {
	Audit
	Organisation webhookOrg `json:"organisation"`
}

type pendingHook struct {
	audit       Audit
	url, secret string
	body        []byte
}

// webhooks delivers audit envelopes in order from one goroutine.
type webhooks struct {
	org         webhookOrg
	client      *http.Client
	ctx         context.Context
	cancel      context.CancelFunc
	mu          sync.Mutex
	url, secret string
	queue       []pendingHook
	idle        chan struct{} // closed while nothing is queued or in flight
	wake        chan struct{}
	done        chan struct{}
	started     bool
	closed      bool
	results     []WebhookDelivery
}

func newWebhooks(org, orgID string) *webhooks {
	ctx, cancel := context.WithCancel(context.Background())
	idle := make(chan struct{})
	close(idle)
	return &webhooks{
		org: webhookOrg{OrganisationID: orgID, Organisation: org}, ctx: ctx, cancel: cancel,
		client: &http.Client{Timeout: 10 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()},
		idle:   idle, wake: make(chan struct{}, 1), done: make(chan struct{}),
	}
}

func (h *webhooks) setTarget(url, secret string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.url, h.secret = url, secret
}

// enqueue queues a for delivery if a target is set. Called under the store lock,
// so the queue order is the order of the changes.
func (h *webhooks) enqueue(a Audit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.url == "" || h.closed {
		return
	}
	body, err := json.Marshal(webhookBody{Audit: a, Organisation: h.org})
	if err != nil {
		return
	}
	if len(h.queue) == 0 && isClosed(h.idle) {
		h.idle = make(chan struct{})
	}
	h.queue = append(h.queue, pendingHook{audit: a, url: h.url, secret: h.secret, body: body})
	if !h.started {
		h.started = true
		go h.run()
	}
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (h *webhooks) run() {
	defer close(h.done)
	for {
		h.mu.Lock()
		for len(h.queue) == 0 {
			if !isClosed(h.idle) {
				close(h.idle)
			}
			h.mu.Unlock()
			select {
			case <-h.wake:
			case <-h.ctx.Done():
				return
			}
			h.mu.Lock()
		}
		p := h.queue[0]
		h.queue = h.queue[1:]
		h.mu.Unlock()
		res := h.deliver(p)
		h.mu.Lock()
		h.results = append(h.results, res)
		h.mu.Unlock()
	}
}

func (h *webhooks) deliver(p pendingHook) WebhookDelivery {
	a := p.audit
	res := WebhookDelivery{AuditID: a.ID, Action: a.Action, ObjectType: a.ObjectType, ObjectID: a.ObjectID,
		RootID: a.RootID, URL: p.url, Body: p.body, Time: time.Now()}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, p.url, bytes.NewReader(p.body))
	if err != nil {
		res.Err = err.Error()
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "TheHive-simulator/5.6")
	if p.secret != "" {
		req.Header.Set("Authorization", "Bearer "+p.secret)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	_ = resp.Body.Close()
	res.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.Err = fmt.Sprintf("unexpected status %d", resp.StatusCode)
	}
	return res
}

func (h *webhooks) flush(ctx context.Context) error {
	h.mu.Lock()
	idle := h.idle
	h.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *webhooks) close() {
	h.mu.Lock()
	h.closed = true
	started := h.started
	h.queue = nil
	if !isClosed(h.idle) {
		close(h.idle)
	}
	h.mu.Unlock()
	h.cancel()
	if started {
		<-h.done
	}
	h.client.CloseIdleConnections()
}

// SetWebhook sets (or, with an empty url, removes) the webhook target for later
// changes. secret, if not empty, is sent as `Authorization: Bearer <secret>`.
func (s *Sim) SetWebhook(url, secret string) { s.wh.setTarget(url, secret) }

// FlushWebhooks waits until every queued webhook has been delivered (or failed).
func (s *Sim) FlushWebhooks(ctx context.Context) error { return s.wh.flush(ctx) }

// WebhookDeliveries returns the outcome of every delivery so far, in order.
func (s *Sim) WebhookDeliveries() []WebhookDelivery {
	s.wh.mu.Lock()
	defer s.wh.mu.Unlock()
	return append([]WebhookDelivery(nil), s.wh.results...)
}
