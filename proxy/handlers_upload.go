package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// handleUpload is POST /api/v1/case/{id}/attachments: the files stream to
// TheHive (memory does not grow with their size), then each new attachment
// is marked external for the share model.
func (s *Server) handleUpload(c echo.Context) error {
	ctx := c.Request().Context()
	markers, err := s.writableCase(ctx, config.WriteAttachment, c.Param("id"))
	if err != nil {
		return err
	}
	mr, err := s.multipartIn(c)
	if err != nil {
		return err
	}
	out, err := s.uploadAttachments(ctx, markers, mr)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, out)
}

// uploadAttachments streams the file parts of mr (see copyAttachments) to
// the case of markers (from writableCase), marks the new attachments
// external and returns them cut for the viewer, as {"attachments":[…]}.
func (s *Server) uploadAttachments(ctx context.Context, markers gjson.Result, mr *multipart.Reader) ([]byte, error) {
	caseID := markers.Get("_id").Str
	resp, err := s.streamUpload(ctx, func(mw *multipart.Writer) error { return copyAttachments(mr, mw) },
		"api", "v1", "case", caseID, "attachments")
	if err != nil {
		s.audit(ctx, auditEvent{Action: "attachment.create", Case: caseID, Reason: reasonOf(err), Status: statusOf(err)})
		return nil, err
	}
	out, err := s.markAttachments(ctx, query.CaseRef{ID: caseID}, caseID, resp)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, auditEvent{Action: "attachment.create", Case: caseID, Allowed: true, Count: int(gjson.GetBytes(out, "attachments.#").Int()), Status: http.StatusCreated})
	return out, nil
}

// copyAttachments accepts only file parts named "attachments" (1 to 20)
// and a canRename field, which is dropped.
func copyAttachments(mr *multipart.Reader, mw *multipart.Writer) error {
	files := 0
	for {
		p, err := nextPart(mr)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch {
		case p.FormName() == "attachments" && p.FileName() != "":
			if files++; files > maxFilesPerUpload {
				return &errClientUpload{msg: "At most 20 files per upload"}
			}
			if err := copyFile(mw, "attachments", p); err != nil {
				return err
			}
		case p.FormName() == "canRename" && p.FileName() == "":
			if _, err := io.Copy(io.Discard, io.LimitReader(p, 16)); err != nil {
				return err
			}
		default:
			return &errClientUpload{msg: "Only file parts named \"attachments\" are accepted"}
		}
	}
	if files == 0 {
		return &errClientUpload{msg: "No file part named \"attachments\""}
	}
	return nil
}

// markAttachments marks the attachments TheHive created as external
// (native flag and/or the case tag of the share model) and answers them,
// cut for the viewer, in TheHive's {"attachments":[…]} wrapper.
func (s *Server) markAttachments(ctx context.Context, ref query.CaseRef, caseID string, resp []byte) ([]byte, error) {
	if err := s.filter.Validate(resp); err != nil {
		return nil, errUpstream(err)
	}
	list := gjson.GetBytes(resp, "attachments")
	if !list.IsArray() {
		return nil, errUpstream(errBadUpstream)
	}
	var tags []string
	for _, a := range list.Array() {
		id := a.Get("_id")
		if id.Type != gjson.String || id.Str == "" {
			return nil, errUpstream(errBadUpstream)
		}
		if s.cfg.Upstream.NativeExternal {
			if _, _, _, err := s.up.jsonCall(ctx, http.MethodPatch, []byte(`{"external":true}`), "api", "v1", "case", caseID, "attachment", id.Str); err != nil {
				return nil, errUpstream(err)
			}
		}
		tags = append(tags, marker(s.cfg.Markers.AttachmentCaseTag, "", id.Str))
	}
	if s.tagsAttachments() && len(tags) > 0 {
		body, _ := json.Marshal(map[string][]string{"addTags": tags})
		if _, _, _, err := s.up.jsonCall(ctx, http.MethodPatch, body, "api", "v1", "case", caseID); err != nil {
			return nil, errUpstream(err)
		}
	}
	_ = s.cache.dropCase(ctx, caseID)
	markers, err := s.caseMarkers(ctx, ref, true)
	if err != nil {
		return nil, err
	}
	v := stateOf(ctx).viewer
	scope := filter.Scope{ServiceLogin: s.serviceLogin, Visible: func(it gjson.Result) bool {
		return s.engine.Attachment(v, markers, it).Allow
	}}
	out, _, err := s.filter.List(config.KindAttachment, []byte(list.Raw), scope, filter.Window{})
	if err != nil {
		return nil, errUpstream(err)
	}
	wrapped, _ := sjson.SetRawBytes([]byte(`{}`), "attachments", out)
	return wrapped, nil
}

// tagsAttachments: a share.attachment case_tag rule exists, so uploads get
// the case tag.
func (s *Server) tagsAttachments() bool {
	for _, r := range s.cfg.Share.Attachment {
		if r.CaseTag != "" {
			return true
		}
	}
	return false
}

// createFileObservable handles the multipart form of observable creation:
// a _json part (form field or file part) first, then one file part named
// attachment.
func (s *Server) createFileObservable(c echo.Context, markers gjson.Result) error {
	mr, err := s.multipartIn(c)
	if err != nil {
		return err
	}
	p, err := nextPart(mr)
	if err != nil || p.FormName() != "_json" {
		return errBadRequest("The first part must be _json")
	}
	raw, err := io.ReadAll(io.LimitReader(p, int64(s.cfg.Limits.MaxBodyBytes)+1))
	if err != nil || len(raw) > int(s.cfg.Limits.MaxBodyBytes) {
		return errBadRequest("The _json part is invalid or too large")
	}
	obj, err := s.strictJSON(raw, "dataType", "message")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, err := s.observableInput(ctx, obj, true)
	if err != nil {
		return err
	}
	meta, _ := json.Marshal(in)
	caseID := markers.Get("_id").Str
	resp, err := s.streamUpload(ctx, func(mw *multipart.Writer) error { return copyObservableFile(mr, mw, meta) },
		"api", "v1", "case", caseID, "observable")
	if err != nil {
		return err
	}
	out, objID, err := s.cutCreated(ctx, config.KindObservable, resp, markers)
	if err != nil {
		return err
	}
	_ = s.cache.dropCase(ctx, caseID)
	s.audit(ctx, auditEvent{Action: "observable.create", Case: caseID, Object: objID, Allowed: true, Reason: "profile_allows", Status: http.StatusCreated})
	return c.JSONBlob(http.StatusCreated, out)
}

// copyObservableFile writes the portal's _json, then the one file part.
func copyObservableFile(mr *multipart.Reader, mw *multipart.Writer, meta []byte) error {
	if err := mw.WriteField("_json", string(meta)); err != nil {
		return err
	}
	p, err := nextPart(mr)
	if err != nil || p.FormName() != "attachment" || p.FileName() == "" {
		return &errClientUpload{msg: "Exactly one file part named \"attachment\" must follow _json"}
	}
	if err := copyFile(mw, "attachment", p); err != nil {
		return err
	}
	if _, err := nextPart(mr); !errors.Is(err, io.EOF) {
		return &errClientUpload{msg: "Exactly one file part named \"attachment\" must follow _json"}
	}
	return nil
}
