package filter

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"unsafe"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// Set filters TheHive JSON for external viewers. It is compiled once from
// the configuration by New, never changes afterwards, and is safe for
// concurrent use.
type Set struct {
	views       [4]view // in the order of config.Kinds
	alias       []byte  // the analyst alias as a JSON string
	markers     []string
	tagPatterns []pattern
	reserved    []string
	customNames []string // case custom field names shown
	// authorHead and authorTail surround {email} in the observable author
	// tag the portal writes.
	authorHead, authorTail string
	maxBytes               int64
	maxDepth               int
	seed                   uint64 // of the duplicate-key hash
}

// Scope is what the filter needs to know about one viewer for one call. The
// caller builds it from the policy; the filter never decides sharing
// itself.
type Scope struct {
	// Visible decides whether the viewer may see one item (a JSON object)
	// of the kind being filtered. nil: nothing is visible. item.Index is
	// the item's offset in the body. item.Raw points into the caller's
	// body (no copy is made): it is valid while the body is, and Visible
	// must not keep it (or strings read from it without copying) once the
	// body may be reused.
	Visible func(item gjson.Result) bool
	// ServiceLogin is the TheHive login of the portal's service account.
	// Attribution written by the portal (the external author of a comment
	// or observable) is trusted only on objects created by it. Empty:
	// never trusted, every author is shown as the analyst alias.
	ServiceLogin string
	// MaxItems bounds the items of a list (List only): more is
	// ErrTooManyItems. 0: no bound beyond the filter's own.
	MaxItems int
}

// Window selects items [From, To) of the visible ones. To <= 0 means up to
// the end; From < 0 counts as 0.
type Window struct{ From, To int }

// maxBodyBytes bounds limits.max_response_bytes (as config does); the scan
// keeps offsets in 32 bits.
const maxBodyBytes = 1 << 30

// New compiles the filter of cfg: the field allow-lists and case tags and
// custom fields of cfg.View, the comment marker prefixes of cfg.Share and
// cfg.Markers, the observable author marker, and the size and depth limits.
// It returns an error for settings it cannot apply safely, e.g. a listed
// field that the portal builds itself.
func New(cfg *config.Config) (*Set, error) {
	if cfg == nil {
		return nil, errors.New("filter: nil config")
	}
	l := cfg.Limits
	if l.MaxResponseBytes <= 0 || l.MaxResponseBytes > maxBodyBytes {
		return nil, fmt.Errorf("filter: limits.max_response_bytes must be between 1 and %d", maxBodyBytes)
	}
	if l.MaxJSONDepth < 2 || l.MaxJSONDepth > 1024 {
		return nil, errors.New("filter: limits.max_json_depth must be between 2 and 1024")
	}
	if cfg.View.AnalystAlias == "" {
		return nil, errors.New("filter: view.analyst_alias must not be empty")
	}
	s := &Set{
		alias:       gjson.AppendJSONString(nil, cfg.View.AnalystAlias),
		markers:     commentMarkers(cfg),
		tagPatterns: compilePatterns(cfg.View.CaseTags),
		reserved:    nonEmpty(cfg.Markers.ReservedTagPrefixes),
		customNames: nonEmpty(cfg.View.CaseCustomFields),
		maxBytes:    int64(l.MaxResponseBytes),
		maxDepth:    l.MaxJSONDepth,
		seed:        rand.Uint64(),
	}
	var ok bool
	s.authorHead, s.authorTail, ok = splitOnce(cfg.Markers.ObservableAuthor, config.PlaceholderEmail)
	if !ok {
		return nil, errors.New("filter: markers.observable_author must contain {email} exactly once")
	}
	for i, k := range config.Kinds {
		v, err := newView(k, cfg.View.Fields.Of(k))
		if err != nil {
			return nil, err
		}
		s.views[i] = v
	}
	return s, nil
}

// One filters a single object, such as GET /api/v1/case/{id} or a created
// comment. When the viewer may not see it, out is nil and visible false.
// body must not change during the call; out never shares memory with it.
func (s *Set) One(kind config.Kind, body []byte, sc Scope) (out []byte, visible bool, err error) {
	v, err := s.view(kind)
	if err != nil {
		return nil, false, err
	}
	if _, err := s.validate(body, 0, nil); err != nil {
		return nil, false, err
	}
	item, off := trimValue(bytesView(body))
	if item[0] != '{' {
		return nil, false, shapeError("body is not an object")
	}
	if sc.Visible == nil || !sc.Visible(gjson.Result{Type: gjson.JSON, Raw: item, Index: off}) {
		return nil, false, nil
	}
	p := projector{Set: s, view: v, scope: &sc}
	out, err = p.item(make([]byte, 0, len(item)+p.overhead()), item)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// List filters a JSON array of objects, or TheHive 4's paged form
// {"result":[…],"total":N}, which it answers in the same form with total
// set to the visible count. It keeps the visible items in input order, then
// the window of them. total is the number of visible items before the
// window. body must not change during the call; out never shares memory
// with it.
func (s *Set) List(kind config.Kind, body []byte, sc Scope, w Window) (out []byte, total int, err error) {
	return s.AppendList(nil, kind, body, sc, w)
}

// AppendList is List appending its output to dst (which may come from a
// pool: only dst[len(dst):] is written, and out holds nothing else of it).
func (s *Set) AppendList(dst []byte, kind config.Kind, body []byte, sc Scope, w Window) (out []byte, total int, err error) {
	v, err := s.view(kind)
	if err != nil {
		return nil, 0, err
	}
	var spanBuf [128]span
	spans, err := s.validate(body, itemDepth(body), spanBuf[:0])
	if err != nil {
		return nil, 0, err
	}
	str := bytesView(body)
	list, off := trimValue(str)
	paged := list[0] == '{'
	if paged {
		if list, off, err = pagedResult(list, off); err != nil {
			return nil, 0, err
		}
	} else if list[0] != '[' {
		return nil, 0, shapeError("body is not an array")
	}
	if err := checkItems(list, off, spans); err != nil {
		return nil, 0, err
	}
	if sc.MaxItems > 0 && len(spans) > sc.MaxItems {
		return nil, 0, ErrTooManyItems
	}
	var shownBuf [32]string
	shown, total := visibleItems(str, spans, sc.Visible, w, shownBuf[:0])
	p := projector{Set: s, view: v, scope: &sc}
	return p.list(dst, shown, total, paged)
}

// bytesView is body as a string without a copy: the filter only reads it
// (validated JSON, a few hundred KB per list, which copying cost as much
// as validating). The strings it yields live no longer than body.
func bytesView(body []byte) string {
	return unsafe.String(unsafe.SliceData(body), len(body))
}

// view returns the compiled view of kind.
func (s *Set) view(kind config.Kind) (*view, error) {
	for i, k := range config.Kinds {
		if k == kind {
			return &s.views[i], nil
		}
	}
	return nil, ErrUnknownKind
}

// commentMarkers returns the comment marker prefixes, longest first, so
// that the longest one that matches is the one removed.
func commentMarkers(cfg *config.Config) []string {
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		if p != "" {
			out = append(out, p)
		}
	}
	for _, r := range cfg.Share.Comment {
		add(r.MessagePrefix)
	}
	add(cfg.Markers.CommentPrefix)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitOnce splits s around the only occurrence of sep.
func splitOnce(s, sep string) (before, after string, ok bool) {
	before, after, ok = strings.Cut(s, sep)
	if !ok || strings.Contains(after, sep) {
		return "", "", false
	}
	return before, after, true
}

// Validate checks body as the filter checks every input: within the size
// and depth limits (depth first, before anything recursive runs), valid
// JSON, and no object anywhere with a repeated decoded key. The proxy uses
// it on request bodies and on TheHive answers it reads without filtering.
// Note that gjson.Valid alone recurses once per nesting level and must not
// see unbounded input.
func (s *Set) Validate(body []byte) error {
	_, err := s.validate(body, 0, nil)
	return err
}
