package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// handleQuery is POST /api/v1/query: the client's query is parsed
// strictly, the portal writes the upstream query itself, every returned
// item is decided and cut by the filter, and paging, counts and X-Total are
// computed over the visible items only.
func (s *Server) handleQuery(c echo.Context) error {
	body, err := readBody(c, int64(s.cfg.Limits.MaxBodyBytes))
	if err != nil {
		return err
	}
	q, err := query.Parse(body, c.Request().URL.RawQuery, s.qlim)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return &apiError{Status: qe.Status, Type: qe.Type, Message: qe.Message, Reason: "bad_query"}
		}
		return errBadRequest("Invalid query")
	}
	switch {
	case q.Root == query.RootListCase:
		return s.queryCases(c, q)
	case q.Child == "":
		return s.queryOneCase(c, q)
	default:
		return s.queryChildren(c, q)
	}
}

// queryCases answers listCase.
func (s *Server) queryCases(c echo.Context, q *query.Query) error {
	out, total, err := s.listCases(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return answerList(c, q, out, total)
}

// listCases lists the cases the viewer may see: restricted upstream by the
// compiled case rules and q's filter, every case decided here. total
// counts the visible cases; out is q's page of them, cut for the viewer.
func (s *Server) listCases(ctx context.Context, q *query.Query) ([]byte, int, error) {
	v := stateOf(ctx).viewer
	restrict, _ := s.engine.CaseFilter(v)
	body := query.ListCases(restrict, q, s.cfg.Limits.MaxListItems+1)
	scope := filter.Scope{Visible: func(it gjson.Result) bool { return s.engine.Case(v, it).Allow },
		ServiceLogin: s.serviceLogin}
	return s.list(ctx, q, config.KindCase, "", body, scope)
}

// queryChildren answers getCase → comments|attachments|observables for a
// case the viewer may see.
func (s *Server) queryChildren(c echo.Context, q *query.Query) error {
	out, total, err := s.listChildren(c.Request().Context(), q)
	if isNotFound(err) {
		return c.JSONBlob(http.StatusOK, emptyOrZero(q))
	}
	if err != nil {
		return err
	}
	return answerList(c, q, out, total)
}

// listChildren lists the comments, attachments or observables (q.Child)
// of q.Case that the viewer may see; a hidden or missing case is
// errCaseNotFound.
func (s *Server) listChildren(ctx context.Context, q *query.Query) ([]byte, int, error) {
	markers, _, err := s.visibleCase(ctx, q.Case, false)
	if err != nil {
		s.audit(ctx, auditEvent{Action: string(q.Child) + ".list", Case: q.Case.String(), Reason: reasonOf(err), Status: http.StatusOK})
		return nil, 0, err
	}
	v := stateOf(ctx).viewer
	caseID := markers.Get("_id").Str
	body := query.CaseChildren(caseID, q.Child, q, s.cfg.Limits.MaxListItems+1)
	if body == nil {
		return nil, 0, errUpstream(errBadUpstream)
	}
	scope := filter.Scope{Visible: func(it gjson.Result) bool { return s.engine.Decide(v, q.Child, it, markers).Allow },
		ServiceLogin: s.serviceLogin}
	return s.list(ctx, q, q.Child, caseID, body, scope)
}

// list sends the upstream query, decides and cuts every item, and returns
// q's page of the visible items (all of them without a page, none for an
// empty page) and how many are visible.
func (s *Server) list(ctx context.Context, q *query.Query, kind config.Kind, caseID string, upBody []byte, scope filter.Scope) ([]byte, int, error) {
	// Fields neither the filter nor the policy reads stay in TheHive.
	upBody = query.ExcludeFields(upBody, s.exclude[kind])
	_, data, release, err := s.up.jsonCallPooled(ctx, http.MethodPost, upBody, "api", "v1", "query")
	defer release()
	var se *errUpstreamStatus
	if errors.As(err, &se) && se.Status == http.StatusBadRequest {
		// TheHive refused a filter or sort the client chose (e.g. a field
		// this TheHive does not know): the client's mistake, never a 5xx.
		return nil, 0, &apiError{Status: http.StatusBadRequest, Type: "BadRequest", Message: "Invalid query", Cause: err}
	}
	if err != nil {
		return nil, 0, errUpstream(err)
	}
	w, emptyPage := filter.Window{}, false
	if q.Page != nil {
		w = filter.Window{From: q.Page.From, To: q.Page.To}
		// An empty page still counts the total: ask for all, answer [].
		if emptyPage = q.Page.To <= q.Page.From; emptyPage {
			w = filter.Window{}
		}
	}
	scope.MaxItems = s.cfg.Limits.MaxListItems
	buf := outBuffers.Get().(*[]byte)
	out, total, err := s.filter.AppendList((*buf)[:0], kind, data, scope, w)
	used := out
	afterRequest(ctx, func() { putBuffer(&outBuffers, buf, used) })
	s.metrics.filtered(len(data), len(out))
	if errors.Is(err, filter.ErrTooManyItems) {
		return nil, 0, errBadRequest("Too many results: narrow the query with a filter")
	}
	if err != nil {
		return nil, 0, errUpstream(err)
	}
	if emptyPage {
		out = []byte("[]")
	}
	s.audit(ctx, auditEvent{Action: string(kind) + ".list", Case: caseID, Allowed: true, Count: total, Status: http.StatusOK})
	return out, total, nil
}

// answerList answers a list query: the count, or the page (with X-Total
// when asked).
func answerList(c echo.Context, q *query.Query, out []byte, total int) error {
	if q.Count {
		return c.JSONBlob(http.StatusOK, []byte(strconv.Itoa(total)))
	}
	if q.Page != nil && q.Page.Total {
		c.Response().Header().Set("X-Total", strconv.Itoa(total))
	}
	return jsonAnswer(c, out)
}

// jsonAnswer writes a 200 JSON answer with its length, so that it goes out
// without chunked framing.
func jsonAnswer(c echo.Context, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.JSONBlob(http.StatusOK, body)
}

// queryOneCase answers [getCase]: an array with the case, or [] when it is
// missing or hidden (as TheHive answers for a missing id).
func (s *Server) queryOneCase(c echo.Context, q *query.Query) error {
	out, err := s.readCase(c.Request().Context(), q.Case)
	if isNotFound(err) {
		return c.JSONBlob(http.StatusOK, []byte("[]"))
	}
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, append(append([]byte("["), out...), ']'))
}

// emptyOrZero is the answer for the children of a hidden case: what a case
// without children gives.
func emptyOrZero(q *query.Query) []byte {
	if q.Count {
		return []byte("0")
	}
	return []byte("[]")
}

func isNotFound(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

func reasonOf(err error) string {
	var ae *apiError
	if errors.As(err, &ae) && ae.Reason != "" {
		return ae.Reason
	}
	return "error"
}

// readBody reads a request body of at most limit bytes; more is 413.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, limit+1))
	if err != nil {
		return nil, errBadRequest("Unreadable body")
	}
	if int64(len(body)) > limit {
		return nil, errTooLarge()
	}
	return body, nil
}
