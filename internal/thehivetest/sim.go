package thehivetest

import (
	"net/http"
	"sync"
)

// Sim is an in-memory TheHive 5 API. It is safe for concurrent use. Create it with
// New, serve Handler, and call Close when done (it stops the webhook sender).
type Sim struct {
	cfg       config
	st        *store
	rec       *recorder
	faults    *faults
	wh        *webhooks
	handler   http.Handler
	closeOnce sync.Once
}

// New returns a simulator configured by opts. Without WithSeed it starts empty.
func New(opts ...Option) *Sim {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Sim{
		cfg:    cfg,
		rec:    newRecorder(cfg.logEntries, cfg.bodyCap),
		faults: &faults{},
		wh:     newWebhooks(cfg.orgName, cfg.orgID),
	}
	s.st = newStore(cfg.now, s.wh.enqueue)
	s.st.retain = cfg.retain
	if cfg.webhookURL != "" {
		s.wh.setTarget(cfg.webhookURL, cfg.webhookSecret)
	}
	if cfg.seed {
		// A fresh store has none of the seeded ids, so this cannot fail.
		_ = Seed(s)
	}
	s.st.seedSeq = s.st.seq
	s.handler = s.middleware(s.routes())
	return s
}

// Handler returns the HTTP handler serving the TheHive API.
func (s *Sim) Handler() http.Handler { return s.handler }

// ServeHTTP serves the TheHive API; it is the same as Handler().ServeHTTP.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Organisation returns the configured organisation name and `~id`.
func (s *Sim) Organisation() (name, id string) { return s.cfg.orgName, s.cfg.orgID }

// Close stops webhook delivery (pending deliveries are dropped). It is idempotent.
func (s *Sim) Close() {
	s.closeOnce.Do(s.wh.close)
}
