package proxy

import (
	"context"
	"log/slog"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
)

// cutCreated cuts what TheHive answered to a create for the viewer: a case
// or comment object, or an array of observables or attachments. What the
// share model would not show (the markers did not take) is reduced to its
// _id and _type, with a warning: the write happened, nothing else leaves.
func (s *Server) cutCreated(ctx context.Context, kind config.Kind, resp []byte, markers gjson.Result) ([]byte, string, error) {
	if err := s.filter.Validate(resp); err != nil {
		return nil, "", errUpstream(err)
	}
	if kind == config.KindCase {
		obj := gjson.ParseBytes(resp)
		if obj.IsObject() && obj.Get("_id").Type == gjson.String {
			s.putMarkers(ctx, obj)
			markers = obj
		}
	}
	v := stateOf(ctx).viewer
	hidden := false
	scope := filter.Scope{ServiceLogin: s.serviceLogin, Visible: func(it gjson.Result) bool {
		if s.engine.Decide(v, kind, it, markers).Allow {
			return true
		}
		hidden = true
		return false
	}}
	if gjson.ParseBytes(resp).IsArray() {
		return s.cutCreatedList(ctx, kind, resp, scope, &hidden)
	}
	out, visible, err := s.filter.One(kind, resp, scope)
	if err != nil {
		return nil, "", errUpstream(err)
	}
	id := gjson.GetBytes(resp, "_id").Str
	if !visible {
		s.warnHidden(ctx, kind, id)
		out = stub(kind, id)
	}
	return out, id, nil
}

func (s *Server) cutCreatedList(ctx context.Context, kind config.Kind, resp []byte, scope filter.Scope, hidden *bool) ([]byte, string, error) {
	out, _, err := s.filter.List(kind, resp, scope, filter.Window{})
	if err != nil {
		return nil, "", errUpstream(err)
	}
	id := gjson.GetBytes(resp, "0._id").Str
	if *hidden {
		s.warnHidden(ctx, kind, id)
		out = []byte("[]")
		gjson.ParseBytes(resp).ForEach(func(_, it gjson.Result) bool {
			out, _ = sjson.SetRawBytes(out, "-1", stub(kind, it.Get("_id").Str))
			return true
		})
	}
	return out, id, nil
}

func (s *Server) warnHidden(ctx context.Context, kind config.Kind, id string) {
	s.log.LogAttrs(ctx, slog.LevelWarn, "created object is not visible to its author: check markers and share rules",
		slog.String("kind", string(kind)), slog.String("id", id))
}

// stub is the least that answers a create: the new object's _id and _type.
func stub(kind config.Kind, id string) []byte {
	types := map[config.Kind]string{config.KindCase: "Case", config.KindComment: "Comment",
		config.KindAttachment: "Attachment", config.KindObservable: "Observable"}
	out, _ := sjson.SetBytes([]byte("{}"), "_id", id)
	out, _ = sjson.SetBytes(out, "_type", types[kind])
	return out
}
