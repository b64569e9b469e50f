package thehivetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// fields are the input attributes of a write request: the JSON object (or form)
// body merged with the URL query string, the query string winning on a clash, as
// TheHive's field parser does.
type fields map[string]json.RawMessage

// readBody reads at most limit bytes of the request body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge()
	}
	if err != nil {
		return nil, errBadRequest("Read body: %v", err)
	}
	return b, nil
}

// readFields parses a JSON object or urlencoded form body plus the query string.
// Bodies with another content type contribute no fields.
func (s *Sim) readFields(w http.ResponseWriter, r *http.Request) (fields, error) {
	b, err := readBody(w, r, s.cfg.maxJSON)
	if err != nil {
		return nil, err
	}
	f, err := parseFieldsBody(r.Header.Get("Content-Type"), b)
	if err != nil {
		return nil, err
	}
	mergeValues(f, r.URL.Query())
	return f, nil
}

func parseFieldsBody(contentType string, b []byte) (fields, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	f := fields{}
	switch {
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, errBadRequest("Invalid form: %v", err)
		}
		mergeValues(f, vals)
	case mt == "" || mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json"):
		if len(bytes.TrimSpace(b)) == 0 {
			return f, nil
		}
		if err := json.Unmarshal(b, &f); err != nil || f == nil {
			return nil, errBadRequest("Invalid Json: %v", errOrNotObject(err))
		}
	}
	return f, nil
}

func errOrNotObject(err error) error {
	if err != nil {
		return err
	}
	return errors.New("expected a JSON object")
}

func mergeValues(f fields, vals url.Values) {
	for k, v := range vals {
		if len(v) > 0 {
			b, _ := json.Marshal(v[len(v)-1])
			f[k] = b
		}
	}
}

// reader extracts typed attributes and collects AttributeCheckingError items.
type reader struct {
	f    fields
	errs []attrError
}

func (rd *reader) raw(name string) (json.RawMessage, bool) {
	v, ok := rd.f[name]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

func (rd *reader) has(name string) bool { _, ok := rd.raw(name); return ok }

func (rd *reader) bad(name, format string, v json.RawMessage) {
	rd.errs = append(rd.errs, invalidAttr(name, format, v))
}

func (rd *reader) require(names ...string) {
	for _, n := range names {
		if !rd.has(n) {
			rd.errs = append(rd.errs, missingAttr(n))
		}
	}
}

func (rd *reader) str(name string) (string, bool) {
	v, ok := rd.raw(name)
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		rd.bad(name, "string", v)
		return "", false
	}
	return s, true
}

// number accepts a JSON number or a string holding one (query-string values).
func (rd *reader) number(name string) (int64, bool) {
	v, ok := rd.raw(name)
	if !ok {
		return 0, false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		v = json.RawMessage(s)
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		rd.bad(name, "integer", v)
		return 0, false
	}
	return n, true
}

func (rd *reader) intIn(name string, lo, hi int) (int, bool) {
	n, ok := rd.number(name)
	if ok && (n < int64(lo) || n > int64(hi)) {
		rd.bad(name, "integer "+strconv.Itoa(lo)+".."+strconv.Itoa(hi), rd.f[name])
		return 0, false
	}
	return int(n), ok
}

func (rd *reader) boolean(name string) (bool, bool) {
	v, ok := rd.raw(name)
	if !ok {
		return false, false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		v = json.RawMessage(s)
	}
	b, err := strconv.ParseBool(string(v))
	if err != nil {
		rd.bad(name, "boolean", v)
		return false, false
	}
	return b, true
}

// strList accepts a string array or a single string.
func (rd *reader) strList(name string) ([]string, bool) {
	v, ok := rd.raw(name)
	if !ok {
		return nil, false
	}
	var list []string
	if json.Unmarshal(v, &list) == nil {
		return nonNil(list), true
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		return []string{one}, true
	}
	rd.bad(name, "array of strings", v)
	return nil, false
}

func (rd *reader) err() error {
	if len(rd.errs) == 0 {
		return nil
	}
	return errAttributes(rd.errs)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
