package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/notify"
	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// change is what a TheHive webhook says happened, as far as notifications
// care. Nothing else of the body is kept: the job re-reads TheHive.
type change struct {
	caseID   string
	kind     string // "case", "comment" or "attachment"
	objectID string
	action   string // "create", "update", "delete", …
	// shares reports a case created, or its tags or access changed.
	shares bool
}

// parseChange reads a webhook body (TheHive 5 audit envelope, or the
// version-0 one with "operation").
func parseChange(ev gjson.Result) (change, bool) {
	ch := change{kind: strings.ToLower(ev.Get("objectType").Str), objectID: ev.Get("objectId").Str}
	ch.action = strings.ToLower(ev.Get("action").Str)
	if ch.action == "" {
		ch.action = strings.ToLower(ev.Get("operation").Str)
	}
	switch ch.action {
	case "creation":
		ch.action = "create"
	case "deletion":
		ch.action = "delete"
	}
	switch ch.kind {
	case "case", "comment", "attachment":
	default:
		return change{}, false
	}
	if ids := webhookCases(ev); len(ids) > 0 {
		ch.caseID = ids[0]
	}
	if ch.caseID == "" || !objectID.MatchString(ch.objectID) {
		return change{}, false
	}
	d := ev.Get("details")
	ch.shares = ch.kind == "case" && (ch.action == "create" || d.Get("tags").Exists() || d.Get("access").Exists())
	return ch, true
}

// notifyChange queues the notification work of a webhook; it never blocks
// or fails the webhook (a full queue drops the event and counts it).
func (s *Server) notifyChange(ev gjson.Result) {
	if s.mailer == nil {
		return
	}
	ch, ok := parseChange(ev)
	if !ok || ch.action == "delete" {
		return
	}
	q := s.queue()
	if q != nil && !q.Enqueue(func(ctx context.Context) ([]notify.Mail, error) { return s.notifyJob(ctx, ch) }) {
		s.log.Warn("notification queue full; event dropped", "case", ch.caseID)
	}
}

// caseEvent is a change with what the job read and remembered.
type caseEvent struct {
	change
	caseObj gjson.Result
	viewers []string // the direct viewers now
	prev    notifyState
	found   bool // prev was remembered
	// creatorTag is markers.case_creator, e.g. portal:created-by={email}.
	creatorTag string
}

// notifyJob turns one change into mails: to the users a case was newly
// shared with, and to its direct viewers when a new external comment or
// attachment appeared. It reads TheHive with the service key, never the
// webhook body.
func (s *Server) notifyJob(ctx context.Context, ch change) ([]notify.Mail, error) {
	caseObj, _, err := s.fetchCase(ctx, query.CaseRef{ID: ch.caseID})
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil, s.kv.Delete(ctx, notifyStateKey(ch.caseID))
	}
	if err != nil {
		return nil, err
	}
	ev := caseEvent{change: ch, caseObj: caseObj, viewers: s.directViewers(caseObj), creatorTag: s.cfg.Markers.CaseCreator}
	if ev.prev, ev.found, err = s.loadNotifyState(ctx, ch.caseID); err != nil {
		return nil, err
	}
	if len(ev.viewers) == 0 && !ev.found {
		return nil, nil // an internal case: nothing to send, nothing to remember
	}
	next := notifyState{Viewers: hashEmails(ev.viewers), Attachments: ev.prev.Attachments}
	comment, err := s.newComment(ctx, ev)
	if err != nil {
		return nil, err
	}
	attachments, err := s.newAttachments(ctx, ev, &next)
	if err != nil {
		return nil, err
	}
	if err := s.saveNotifyState(ctx, ch.caseID, next); err != nil {
		return nil, err
	}
	return s.mailsFor(ev, newlyShared(ev), comment, attachments), nil
}

// mailsFor picks at most one mail per viewer: shared, else comment, else
// attachment.
func (s *Server) mailsFor(ev caseEvent, shared map[string]bool, comment newItem, attachments []newItem) []notify.Mail {
	var out []notify.Mail
	for _, v := range ev.viewers {
		var kind notify.Event
		switch {
		case shared[v]:
			kind = notify.EventShared
		case comment.visibleTo(v):
			kind = notify.EventComment
		case anyVisibleTo(attachments, v):
			kind = notify.EventAttachment
		default:
			continue
		}
		out = append(out, s.mail(ev.caseObj, v, kind))
	}
	return out
}

// mail builds one mail: the case number, its title and its portal link.
func (s *Server) mail(caseObj gjson.Result, to string, ev notify.Event) notify.Mail {
	id := caseObj.Get("_id").Str
	return notify.Mail{To: to, Event: ev, CaseID: id, CaseNumber: caseObj.Get("number").Int(),
		CaseTitle: caseObj.Get("title").Str, Link: strings.TrimRight(s.cfg.PublicURL, "/") + "/cases/" + url.PathEscape(id)}
}

// newItem is a new external comment or attachment: who may see it, and
// who wrote it (when the portal knows: they get no mail about it).
type newItem struct {
	viewers map[string]bool
	author  string
}

func (n newItem) visibleTo(v string) bool { return n.viewers[v] && v != n.author }

func anyVisibleTo(items []newItem, v string) bool {
	for _, it := range items {
		if it.visibleTo(v) {
			return true
		}
	}
	return false
}

// visibleTo lists which viewers decide allows.
func visibleTo(viewers []string, decide func(policy.Viewer) policy.Decision) map[string]bool {
	out := map[string]bool{}
	for _, v := range viewers {
		if decide(policy.Viewer{Email: v}).Allow {
			out[v] = true
		}
	}
	return out
}
