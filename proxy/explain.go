package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/explain"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// ErrBadExplainInput is a case id or email that explain refuses.
var ErrBadExplainInput = errors.New("invalid explain request")

// Explainer previews a case for an external user: it reads the case, its
// comments, attachments and observables from TheHive with the service key
// (never from the cache) and explains each decision with the portal's own
// policy and filter (package explain). The command `thehive-portal
// explain` and GET /admin/explain use it. Its reports name hidden items
// and list case tags: never serve them to external users. It is safe for
// concurrent use.
type Explainer struct {
	up       *upstream
	filter   *filter.Set
	x        *explain.Explainer
	maxItems int

	mu           sync.Mutex
	serviceLogin string // learned once when the configuration has none
}

// NewExplainer builds an Explainer from a validated configuration.
// transport nil: a transport with timeouts. version goes into the
// User-Agent sent to TheHive.
func NewExplainer(cfg *config.Config, transport http.RoundTripper, version string) (*Explainer, error) {
	engine, err := policy.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	set, err := filter.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	up, err := newUpstream(cfg, transport, "thehive-portal/"+version)
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	return &Explainer{up: up, filter: set, x: explain.New(cfg, engine, set), maxItems: cfg.Limits.MaxListItems,
		serviceLogin: cfg.Upstream.ServiceLogin}, nil
}

// explainer is the Explainer of a running portal: its upstream, policy
// and filter.
func (s *Server) explainer() *Explainer {
	return &Explainer{up: s.up, filter: s.filter, x: explain.New(s.cfg, s.engine, s.filter),
		maxItems: s.cfg.Limits.MaxListItems, serviceLogin: s.serviceLogin}
}

// Explain previews case caseID ("~123" or a case number) for the external
// user v. A bad id or email wraps ErrBadExplainInput; a case TheHive does
// not have wraps explain.ErrCaseNotFound.
func (e *Explainer) Explain(ctx context.Context, v explain.Viewer, caseID string) (*explain.Report, error) {
	ref, err := query.ParseCaseID(caseID)
	if err != nil {
		return nil, fmt.Errorf("%w: case %q: use ~<id> or a case number", ErrBadExplainInput, caseID)
	}
	if !plausibleEmail(v.Email) {
		return nil, fmt.Errorf("%w: %q is not an email address", ErrBadExplainInput, v.Email)
	}
	in, err := e.read(ctx, ref)
	if err != nil {
		return nil, err
	}
	return e.x.Explain(v, in)
}

// read fetches the case and its items.
func (e *Explainer) read(ctx context.Context, ref query.CaseRef) (explain.Input, error) {
	var in explain.Input
	_, body, _, err := e.up.jsonCall(ctx, http.MethodGet, nil, "api", "v1", "case", ref.String())
	var se *errUpstreamStatus
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return in, fmt.Errorf("case %s: %w", ref, explain.ErrCaseNotFound)
	}
	if err != nil {
		return in, fmt.Errorf("read case %s from thehive: %w", ref, err)
	}
	if err := e.filter.Validate(body); err != nil {
		return in, fmt.Errorf("read case %s from thehive: %w", ref, err)
	}
	if !sameCase(ref, gjson.ParseBytes(body)) {
		return in, fmt.Errorf("read case %s from thehive: %w: answer is another case", ref, errBadUpstream)
	}
	in.Case = body
	id := gjson.GetBytes(body, "_id").Str
	for _, k := range []struct {
		kind config.Kind
		dst  *[]byte
	}{{config.KindComment, &in.Comments}, {config.KindAttachment, &in.Attachments}, {config.KindObservable, &in.Observables}} {
		if *k.dst, err = e.children(ctx, id, k.kind); err != nil {
			return in, err
		}
	}
	in.ServiceLogin, err = e.login(ctx)
	return in, err
}

// children lists the items of kind of the case id (the report sorts them).
func (e *Explainer) children(ctx context.Context, id string, kind config.Kind) ([]byte, error) {
	body := query.CaseChildren(id, kind, nil, e.maxItems+1)
	if body == nil {
		return nil, fmt.Errorf("list %ss: %w: case id %q", kind, errBadUpstream, id)
	}
	_, data, _, err := e.up.jsonCall(ctx, http.MethodPost, body, "api", "v1", "query")
	if err != nil {
		return nil, fmt.Errorf("list %ss of %s from thehive: %w", kind, id, err)
	}
	if err := e.filter.Validate(data); err != nil {
		return nil, fmt.Errorf("list %ss of %s from thehive: %w", kind, id, err)
	}
	if n := gjson.GetBytes(data, "#").Int(); n > int64(e.maxItems) {
		return nil, fmt.Errorf("case %s has more than %d %ss (limits.max_list_items)", id, e.maxItems, kind)
	}
	return data, nil
}

// login returns the service login, asking TheHive once when the
// configuration does not name it.
func (e *Explainer) login(ctx context.Context) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.serviceLogin != "" {
		return e.serviceLogin, nil
	}
	_, body, _, err := e.up.jsonCall(ctx, http.MethodGet, nil, "api", "v1", "user", "current")
	if err != nil {
		return "", fmt.Errorf("read the service account from thehive: %w", err)
	}
	if err := e.filter.Validate(body); err != nil {
		return "", fmt.Errorf("read the service account from thehive: %w", err)
	}
	login, err := loginOf(body)
	if err != nil {
		return "", err
	}
	e.serviceLogin = login
	return login, nil
}

// plausibleEmail is a light check of an address typed by an analyst: the
// policy matches it as it is, so only obvious mistakes are refused.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && strings.Count(s, "@") == 1 && len(s) <= 254 &&
		!strings.ContainsAny(s, " \t\r\n,;<>\"") && strings.Contains(s[at+1:], ".")
}
