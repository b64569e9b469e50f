package proxy

import (
	"context"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

var objectID = regexp.MustCompile(`^~[0-9]{1,19}$`)

// handleDownload is GET /api/v1/case/{id}/attachment/{aid}/download: only
// for an attachment of that case that the viewer may see. The file is
// always sent as a download, never rendered.
func (s *Server) handleDownload(c echo.Context) error {
	ctx := c.Request().Context()
	ref, err := caseRef(c.Param("id"))
	if err != nil {
		return err
	}
	aid := c.Param("aid")
	notFound := errNotFound("Attachment", "")
	if !objectID.MatchString(aid) {
		notFound.Reason = "bad_id"
		return notFound
	}
	markers, _, err := s.visibleCase(ctx, ref, false)
	if err != nil {
		s.audit(ctx, auditEvent{Action: "attachment.download", Case: ref.String(), Object: aid, Reason: reasonOf(err), Status: statusOf(err)})
		return err
	}
	caseID := markers.Get("_id").Str
	att, err := s.caseAttachment(ctx, ref, caseID, aid)
	if err != nil {
		return err
	}
	d := s.engine.Attachment(stateOf(ctx).viewer, markers, att)
	if !att.Exists() || !d.Allow {
		notFound.Reason = string(d.Reason)
		s.audit(ctx, auditEvent{Action: "attachment.download", Case: caseID, Object: aid, Reason: notFound.Reason, Status: http.StatusNotFound})
		return notFound
	}
	s.audit(ctx, auditEvent{Action: "attachment.download", Case: caseID, Object: aid, Allowed: true, Reason: d.Rule, Status: http.StatusOK})
	return s.sendFile(c, caseID, aid, att.Get("name").Str)
}

// caseAttachment finds attachment aid among the attachments of the case
// (cached share data, else TheHive). It does not exist when it is not one
// of that case's attachments.
func (s *Server) caseAttachment(ctx context.Context, ref query.CaseRef, caseID, aid string) (gjson.Result, error) {
	list := s.cache.get(ctx, attachmentsKey(caseID))
	if list == nil || s.filter.Validate(list) != nil {
		q := &query.Query{Root: query.RootGetCase, Case: ref, Child: config.KindAttachment}
		body := query.CaseChildren(caseID, config.KindAttachment, q, s.cfg.Limits.MaxListItems)
		if body == nil {
			return gjson.Result{}, errUpstream(errBadUpstream)
		}
		_, data, _, err := s.up.jsonCall(ctx, http.MethodPost, body, "api", "v1", "query")
		if err != nil {
			return gjson.Result{}, errUpstream(err)
		}
		if err := s.filter.Validate(data); err != nil || !gjson.ParseBytes(data).IsArray() {
			return gjson.Result{}, errUpstream(errBadUpstream)
		}
		list = []byte("[]")
		gjson.ParseBytes(data).ForEach(func(_, a gjson.Result) bool {
			list, _ = sjson.SetRawBytes(list, "-1", project(a, attachmentFields))
			return true
		})
		s.cache.put(ctx, attachmentsKey(caseID), list)
	}
	var found gjson.Result
	gjson.ParseBytes(list).ForEach(func(_, a gjson.Result) bool {
		if a.Get("_id").Str == aid {
			found = a
		}
		return !found.Exists()
	})
	return found, nil
}

// sendFile streams the file from TheHive as an attachment download.
func (s *Server) sendFile(c echo.Context, caseID, aid, name string) error {
	resp, err := s.up.stream(c.Request().Context(), http.MethodGet, nil, "", "api", "v1", "case", caseID, "attachment", aid, "download")
	if err != nil {
		return errUpstream(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errUpstream(&errUpstreamStatus{Status: resp.StatusCode})
	}
	if enc := strings.TrimSpace(resp.Header.Get("Content-Encoding")); enc != "" && !strings.EqualFold(enc, "identity") {
		return errUpstream(errBadUpstream)
	}
	h := c.Response().Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": cleanFileName(name)}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		h.Set("Content-Length", strconv.FormatInt(n, 10))
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), resp.Body)
	return err
}
