package proxy

import (
	"context"
	"log/slog"
	"strconv"
	"time"
)

// auditEvent is one external read or write: who, what, which case and
// object, the decision and its reason. It never holds content (no message,
// no file name, no title).
type auditEvent struct {
	Action  string // e.g. "case.read", "comment.create", "attachment.download"
	Case    string // the case _id or number asked for
	Object  string // the object _id, when one
	Allowed bool
	Reason  string
	Count   int // items returned, for lists
	Status  int
}

// audit writes the event to the log and, when configured, to the Redis
// stream. A failure to write to the stream is logged, never fatal.
func (s *Server) audit(ctx context.Context, ev auditEvent) {
	st := stateOf(ctx)
	var user, sub, via, rid string
	if st != nil {
		user, sub, via, rid = st.viewer.Email, st.subject, st.via, st.id
	}
	s.auditLog.LogAttrs(ctx, slog.LevelInfo, "audit",
		slog.String("request_id", rid), slog.String("user", user), slog.String("subject", sub),
		slog.String("via", via), slog.String("action", ev.Action), slog.String("case", ev.Case),
		slog.String("object", ev.Object), slog.Bool("allowed", ev.Allowed), slog.String("reason", ev.Reason),
		slog.Int("count", ev.Count), slog.Int("status", ev.Status))
	if s.auditStream == "" || s.kv == nil {
		return
	}
	fields := map[string]string{
		"time": s.now().UTC().Format(time.RFC3339Nano), "request_id": rid, "user": user, "via": via,
		"action": ev.Action, "case": ev.Case, "object": ev.Object, "allowed": strconv.FormatBool(ev.Allowed),
		"reason": ev.Reason, "count": strconv.Itoa(ev.Count), "status": strconv.Itoa(ev.Status),
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.kv.Append(ctx, s.auditStream, fields); err != nil {
		s.log.Warn("audit stream write failed", "err", err)
	}
}
