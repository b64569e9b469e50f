package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// fetchCase reads a case from TheHive (never from the cache) and checks
// that the answer is one valid case object, the one asked for. A missing
// case is errCaseNotFound, like a hidden one.
func (s *Server) fetchCase(ctx context.Context, ref query.CaseRef) (gjson.Result, []byte, error) {
	body, err := s.fetchCaseBody(ctx, ref)
	if err != nil {
		return gjson.Result{}, nil, err
	}
	if err := s.filter.Validate(body); err != nil {
		return gjson.Result{}, nil, errUpstream(err)
	}
	obj, err := caseAnswer(ref, body)
	return obj, body, err
}

// fetchCaseBody reads a case from TheHive, not validated yet: a missing
// case is errCaseNotFound.
func (s *Server) fetchCaseBody(ctx context.Context, ref query.CaseRef) ([]byte, error) {
	_, body, _, err := s.up.jsonCall(ctx, http.MethodGet, nil, "api", "v1", "case", ref.String())
	var se *errUpstreamStatus
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil, errCaseNotFound("missing")
	}
	if err != nil {
		return nil, errUpstream(err)
	}
	return body, nil
}

// caseAnswer parses a validated case answer and checks that it is the case
// ref names.
func caseAnswer(ref query.CaseRef, body []byte) (gjson.Result, error) {
	// A view of body, not a copy: nothing changes a body read from TheHive.
	obj := gjson.Parse(unsafe.String(unsafe.SliceData(body), len(body)))
	if !sameCase(ref, obj) {
		return gjson.Result{}, errUpstream(fmt.Errorf("%w: case answer does not match %s", errBadUpstream, ref))
	}
	return obj, nil
}

// sameCase checks that obj is a case object named by ref.
func sameCase(ref query.CaseRef, obj gjson.Result) bool {
	if !obj.IsObject() {
		return false
	}
	id, num := obj.Get("_id"), obj.Get("number")
	if id.Type != gjson.String || !objectID.MatchString(id.Str) {
		return false
	}
	if ref.ID != "" {
		return id.Str == ref.ID
	}
	return num.Type == gjson.Number && num.Int() == ref.Number
}

// putMarkers caches the share markers of a validated case. The two writes
// go to the store at the same time (one round trip of waiting, not two),
// and both are done when it returns.
func (s *Server) putMarkers(ctx context.Context, obj gjson.Result) {
	id := obj.Get("_id").Str
	var wg sync.WaitGroup
	if n := obj.Get("number"); n.Type == gjson.Number {
		wg.Go(func() { s.cache.put(ctx, numberKey(strconv.FormatInt(n.Int(), 10)), []byte(id)) })
	}
	s.cache.put(ctx, caseKey(id), project(obj, markerFields))
	wg.Wait()
}

// caseMarkers returns the share markers of a case: from the cache unless
// fresh is set, else from TheHive. Writes ask for fresh markers.
func (s *Server) caseMarkers(ctx context.Context, ref query.CaseRef, fresh bool) (gjson.Result, error) {
	if !fresh {
		id := ref.ID
		if id == "" {
			id = string(s.cache.get(ctx, numberKey(strconv.FormatInt(ref.Number, 10))))
		}
		if id != "" {
			if m := s.cache.get(ctx, caseKey(id)); m != nil && s.filter.Validate(m) == nil {
				if obj := gjson.ParseBytes(m); sameCase(ref, obj) {
					return obj, nil
				}
			}
		}
	}
	obj, _, err := s.fetchCase(ctx, ref)
	if err != nil {
		return gjson.Result{}, err
	}
	s.putMarkers(ctx, obj)
	return gjson.ParseBytes(project(obj, markerFields)), nil
}

// visibleCase returns the markers of a case the viewer may see; a hidden
// or missing case is errCaseNotFound (the same answer).
func (s *Server) visibleCase(ctx context.Context, ref query.CaseRef, fresh bool) (gjson.Result, policy.Decision, error) {
	m, err := s.caseMarkers(ctx, ref, fresh)
	if err != nil {
		return gjson.Result{}, policy.Decision{Reason: "missing"}, err
	}
	d := s.engine.Case(stateOf(ctx).viewer, m)
	if !d.Allow {
		return gjson.Result{}, d, errCaseNotFound(string(d.Reason))
	}
	return m, d, nil
}

// caseRef parses the :id path parameter; a bad id is the case-not-found
// answer.
func caseRef(raw string) (query.CaseRef, error) {
	ref, err := query.ParseCaseID(raw)
	if err != nil {
		return query.CaseRef{}, errCaseNotFound("bad_id")
	}
	return ref, nil
}

// loginOf reads the login of GET /api/v1/user/current.
func loginOf(body []byte) (string, error) {
	l := gjson.GetBytes(body, "login")
	if l.Type != gjson.String || l.Str == "" {
		return "", fmt.Errorf("proxy: user/current has no login: %w", errBadUpstream)
	}
	return l.Str, nil
}
