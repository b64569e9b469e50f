package proxy

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// Limits of what external users write.
const (
	maxTitle      = 512
	maxTags       = 20
	maxTagLen     = 128
	maxDataValues = 100
	maxDataLen    = 4096
	maxMessage    = 64 << 10
)

// requireWrite refuses a write the viewer's profile does not allow.
func (s *Server) requireWrite(ctx context.Context, w config.Write) error {
	d := s.engine.Allows(stateOf(ctx).viewer, w)
	if !d.Allow {
		s.audit(ctx, auditEvent{Action: string(w) + ".create", Reason: string(d.Reason), Status: http.StatusForbidden})
		return errForbidden(string(d.Reason))
	}
	return nil
}

// writableCase checks a write w into the case named by the raw path
// segment rawID: the profile allows it and the case is visible (checked
// with fresh markers). It returns the case's markers.
func (s *Server) writableCase(ctx context.Context, w config.Write, rawID string) (gjson.Result, error) {
	if err := s.requireWrite(ctx, w); err != nil {
		return gjson.Result{}, err
	}
	ref, err := caseRef(rawID)
	if err != nil {
		return gjson.Result{}, err
	}
	markers, _, err := s.visibleCase(ctx, ref, true)
	if err != nil {
		s.audit(ctx, auditEvent{Action: string(w) + ".create", Case: ref.String(), Reason: reasonOf(err), Status: statusOf(err)})
		return gjson.Result{}, err
	}
	return markers, nil
}

// fieldError is a BadRequest about one input field.
func fieldError(field, msg string) *apiError {
	ae := errBadRequest(msg)
	ae.Field = field
	return ae
}

// strictObject reads a client JSON body: valid, without duplicate keys,
// not too deep, an object whose keys are all in allowed.
func (s *Server) strictObject(c echo.Context, allowed ...string) (gjson.Result, error) {
	body, err := readBody(c, int64(s.cfg.Limits.MaxBodyBytes))
	if err != nil {
		return gjson.Result{}, err
	}
	if !isJSON(c.Request().Header.Get("Content-Type")) {
		return gjson.Result{}, errBadRequest("Content-Type must be application/json")
	}
	return s.strictJSON(body, allowed...)
}

func (s *Server) strictJSON(body []byte, allowed ...string) (gjson.Result, error) {
	if err := s.filter.Validate(body); err != nil {
		return gjson.Result{}, errBadRequest("Invalid JSON body")
	}
	obj := gjson.ParseBytes(body)
	if !obj.IsObject() {
		return gjson.Result{}, errBadRequest("The body must be a JSON object")
	}
	var bad string
	obj.ForEach(func(k, _ gjson.Result) bool {
		if !contains(allowed, k.Str) {
			bad = k.Str
		}
		return bad == ""
	})
	if bad != "" {
		return gjson.Result{}, errBadRequest("Field " + quoteField(bad) + " is not accepted")
	}
	return obj, nil
}

func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

// quoteField shows at most 40 printable bytes of a field name.
func quoteField(s string) string {
	if len(s) > 40 || !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "(unnamed)"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// text reads a string field: trimmed, valid UTF-8, without control
// characters other than newline and tab (in multi-line text), 1..max
// bytes when required.
func text(obj gjson.Result, key string, maxLen int, required, multiline bool) (string, error) {
	v := obj.Get(gjson.Escape(key))
	if !v.Exists() {
		if required {
			return "", fieldError(key, "Field "+quoteField(key)+" is required")
		}
		return "", nil
	}
	if v.Type != gjson.String {
		return "", fieldError(key, "Field "+quoteField(key)+" must be a string")
	}
	s := strings.TrimSpace(v.Str)
	switch {
	case required && s == "":
		return "", fieldError(key, "Field "+quoteField(key)+" must not be empty")
	case len(s) > maxLen:
		return "", fieldError(key, "Field "+quoteField(key)+" is too long")
	case !plainText(s, multiline):
		return "", fieldError(key, "Field "+quoteField(key)+" holds control characters")
	}
	return s, nil
}

func plainText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == 0x7f || r < 0x20 && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			return false
		}
	}
	return true
}

// userTags reads the tags field: strings, with every tag that starts with
// a reserved prefix removed (users cannot forge markers).
func (s *Server) userTags(obj gjson.Result) ([]string, error) {
	v := obj.Get("tags")
	if !v.Exists() {
		return nil, nil
	}
	if !v.IsArray() || len(v.Array()) > maxTags {
		return nil, fieldError("tags", "Field \"tags\" must be an array of at most 20 strings")
	}
	var tags []string
	for _, t := range v.Array() {
		if t.Type != gjson.String || strings.TrimSpace(t.Str) == "" || len(t.Str) > maxTagLen || !plainText(t.Str, false) {
			return nil, fieldError("tags", "Field \"tags\" holds an invalid tag")
		}
		if !s.reservedTag(t.Str) {
			tags = append(tags, strings.TrimSpace(t.Str))
		}
	}
	return tags, nil
}

func (s *Server) reservedTag(t string) bool {
	lt := strings.ToLower(strings.TrimSpace(t))
	for _, p := range s.cfg.Markers.ReservedTagPrefixes {
		if strings.HasPrefix(lt, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// marker fills a marker pattern of config.Markers.
func marker(pattern, email, id string) string {
	return strings.NewReplacer(config.PlaceholderEmail, email, config.PlaceholderID, id).Replace(pattern)
}

var attributionLine = regexp.MustCompile(`(?im)^([ \t>]*)_?posted by (.*) through the external portal\.?_?[ \t]*$`)

// neutralizeComment removes what in a user's text could pass for a marker
// or an attribution: leading comment prefixes (repeatedly) and lines that
// look like the portal's attribution, which are quoted as plain text.
func (s *Server) neutralizeComment(t string) string {
	prefixes := []string{s.cfg.Markers.CommentPrefix}
	for _, r := range s.cfg.Share.Comment {
		if r.MessagePrefix != "" {
			prefixes = append(prefixes, r.MessagePrefix)
		}
	}
	for changed := true; changed; {
		changed = false
		t = strings.TrimSpace(t)
		for _, p := range prefixes {
			if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
				t, changed = t[len(p):], true
			}
		}
	}
	return attributionLine.ReplaceAllString(t, "${1}(quoted) posted by ${2} through the external portal")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
