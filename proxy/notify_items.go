package proxy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/query"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// notifyStateTTL is how long the portal remembers a case's viewers and
// external attachments (refreshed by every event of the case).
const notifyStateTTL = 90 * 24 * time.Hour

// maxRecipients bounds the mails one event can cause.
const maxRecipients = 200

// notifyState is what the portal remembers of a case between events, to
// tell what is new. Viewers are hashed: the store holds no addresses.
type notifyState struct {
	Viewers     []string `json:"viewers"`
	Attachments []string `json:"attachments"`
}

func notifyStateKey(caseID string) string { return "notify:case:" + caseID }

func hashEmail(e string) string {
	sum := sha256.Sum256([]byte(e))
	return hex.EncodeToString(sum[:12])
}

func hashEmails(emails []string) []string {
	out := make([]string, len(emails))
	for i, e := range emails {
		out[i] = hashEmail(e)
	}
	return out
}

// loadNotifyState reads the state; found is false when there is none.
func (s *Server) loadNotifyState(ctx context.Context, caseID string) (st notifyState, found bool, err error) {
	raw, err := s.kv.Get(ctx, notifyStateKey(caseID))
	if errors.Is(err, store.ErrNotFound) {
		return notifyState{}, false, nil
	}
	if err != nil {
		return notifyState{}, false, err
	}
	if json.Unmarshal(raw, &st) != nil {
		return notifyState{}, false, nil
	}
	return st, true, nil
}

func (s *Server) saveNotifyState(ctx context.Context, caseID string, st notifyState) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.kv.Set(ctx, notifyStateKey(caseID), raw, notifyStateTTL)
}

// newlyShared lists the viewers who were not viewers before. Without a
// remembered state, only an event that created the case or changed its
// tags or access counts as sharing (otherwise the portal would announce
// old shares the first time it sees a case).
func newlyShared(ev caseEvent) map[string]bool {
	out := map[string]bool{}
	if !ev.found && !ev.shares {
		return out
	}
	for _, v := range ev.viewers {
		if !slices.Contains(ev.prev.Viewers, hashEmail(v)) && !ev.createdBy(v) {
			out[v] = true
		}
	}
	return out
}

// createdBy reports whether the case carries the creator marker of v: who
// created a case through the portal needs no mail saying it is shared.
func (ev caseEvent) createdBy(v string) bool {
	return ev.creatorTag != "" && tagged(ev.caseObj, strings.ReplaceAll(ev.creatorTag, config.PlaceholderEmail, v))
}

func tagged(obj gjson.Result, tag string) bool {
	found := false
	obj.Get("tags").ForEach(func(_, t gjson.Result) bool {
		found = t.Type == gjson.String && strings.EqualFold(t.Str, tag)
		return !found
	})
	return found
}

// directViewers lists the users the case names directly who may see it:
// the emails in its tags that match a case share rule of the form
// <text>{email}<text> (portal:user={email}, portal:created-by={email}),
// and the users of TheHive 5.6 native access (not "*"). The policy engine
// confirms each one. Group and domain shares name nobody: their members
// are never notified.
func (s *Server) directViewers(caseObj gjson.Result) []string {
	cands := map[string]bool{}
	for _, r := range s.cfg.Share.Case {
		pre, post, ok := strings.Cut(r.Tag, config.PlaceholderEmail)
		if !ok || strings.ContainsAny(pre+post, "{*") {
			continue
		}
		caseObj.Get("tags").ForEach(func(_, t gjson.Result) bool {
			if t.Type == gjson.String && len(t.Str) > len(pre)+len(post) && strings.HasPrefix(t.Str, pre) && strings.HasSuffix(t.Str, post) {
				cands[strings.ToLower(t.Str[len(pre):len(t.Str)-len(post)])] = true
			}
			return true
		})
	}
	if caseObj.Get("access._kind").Str == "ExternalAccessKind" {
		caseObj.Get("access.users").ForEach(func(_, u gjson.Result) bool {
			if u.Type == gjson.String && u.Str != "*" {
				cands[strings.ToLower(u.Str)] = true
			}
			return true
		})
	}
	var out []string
	for e := range cands {
		if plainEmail(e) && s.engine.Case(policy.Viewer{Email: e}, caseObj).Allow {
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out[:min(len(out), maxRecipients)]
}

// plainEmail accepts an address a mail can go to: one @, no spaces,
// quotes, brackets or control characters.
func plainEmail(e string) bool {
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && domain != "" && len(e) <= 254 && !strings.ContainsAny(e, " \t\r\n\"<>,;:\\()[]") &&
		!strings.ContainsFunc(e, func(r rune) bool { return r < 0x21 || r == 0x7f }) && !strings.Contains(domain, "@")
}

// newComment reads the comment of a comment event and tells who may see it
// when it is external and was never announced (a marker in the store,
// taken once across replicas).
func (s *Server) newComment(ctx context.Context, ev caseEvent) (newItem, error) {
	ch, viewers := ev.change, ev.viewers
	if ch.kind != "comment" || len(viewers) == 0 {
		return newItem{}, nil
	}
	filterExpr, _ := json.Marshal(map[string]any{"_eq": map[string]string{"_field": "_id", "_value": ch.objectID}})
	items, err := s.caseChildren(ctx, ch.caseID, config.KindComment, &query.Query{Filter: filterExpr}, 1)
	if err != nil || len(items) == 0 || items[0].Get("_id").Str != ch.objectID {
		return newItem{}, err
	}
	c := items[0]
	seen := visibleTo(viewers, func(v policy.Viewer) policy.Decision { return s.engine.Comment(v, c) })
	if len(seen) == 0 {
		return newItem{}, nil
	}
	first, err := s.kv.Add(ctx, "notify:comment:"+ch.objectID, []byte("1"), notifyStateTTL)
	if err != nil || !first {
		return newItem{}, err
	}
	author := ""
	if c.Get("createdBy").Str == s.serviceLogin {
		author, _, _ = filter.ParseComment(s.cfg.Markers.CommentPrefix, c.Get("message").Str)
	}
	return newItem{viewers: seen, author: author}, nil
}

// newAttachments lists the external attachments that were not external
// before, on an attachment event or a change of the case's tags; next
// receives the current list. Without a remembered state, only the
// attachment an event created counts as new.
func (s *Server) newAttachments(ctx context.Context, ev caseEvent, next *notifyState) ([]newItem, error) {
	if ev.kind != "attachment" && !(ev.kind == "case" && ev.shares) {
		return nil, nil
	}
	next.Attachments = nil
	if len(ev.viewers) == 0 {
		return nil, nil
	}
	items, err := s.caseChildren(ctx, ev.caseID, config.KindAttachment, nil, s.cfg.Limits.MaxListItems)
	if err != nil {
		return nil, err
	}
	var out []newItem
	for _, a := range items {
		seen := visibleTo(ev.viewers, func(v policy.Viewer) policy.Decision { return s.engine.Attachment(v, ev.caseObj, a) })
		if len(seen) == 0 {
			continue
		}
		id := a.Get("_id").Str
		next.Attachments = append(next.Attachments, id)
		isNew := !slices.Contains(ev.prev.Attachments, id)
		if !ev.found {
			isNew = ev.kind == "attachment" && ev.action == "create" && id == ev.objectID
		}
		if isNew {
			out = append(out, newItem{viewers: seen})
		}
	}
	return out, nil
}

// caseChildren lists children of a case with the service key (validated
// JSON, at most limit items).
func (s *Server) caseChildren(ctx context.Context, caseID string, kind config.Kind, q *query.Query, limit int) ([]gjson.Result, error) {
	body := query.CaseChildren(caseID, kind, q, limit)
	if body == nil {
		return nil, errBadUpstream
	}
	_, data, _, err := s.up.jsonCall(ctx, http.MethodPost, body, "api", "v1", "query")
	if err != nil {
		return nil, err
	}
	if err := s.filter.Validate(data); err != nil {
		return nil, err
	}
	list := gjson.ParseBytes(data)
	if !list.IsArray() {
		return nil, errBadUpstream
	}
	return list.Array(), nil
}
