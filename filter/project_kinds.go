package filter

import (
	"strings"

	"github.com/tidwall/gjson"
)

// comment returns the body of the message to show (raw, without quotes)
// and the author's email when the portal's attribution is trusted. The
// comment marker is removed whatever the author; the attribution line only
// on comments the service login created.
func (p *projector) comment(f readValues) (message, email string, err error) {
	if f.message == "" {
		return "", "", nil
	}
	if !isString(f.message) {
		return "", "", shapeError("comment message is not a string")
	}
	c := content(f.message)
	i := 0
	for _, marker := range p.markers {
		if j, ok := matchDecoded(c, 0, marker, true); ok {
			i = skipSpaces(c, j, true)
			break
		}
	}
	if p.trusted(f.createdBy) {
		if email, next, ok := parseAttribution(c, i, true); ok {
			return c[next:], email, nil
		}
	}
	return c[i:], "", nil
}

// observableAuthor returns the email of the author tag (markers
// observable_author) of an observable the service login created. Several
// author tags that disagree, or one whose email is not valid, give no
// author.
func (p *projector) observableAuthor(f readValues) (string, error) {
	trusted := p.trusted(f.author)
	email, conflict := "", false
	head, tail := p.authorHead, p.authorTail
	err := eachString(f.tags, "observable tags", func(tag, _ string, _ bool) {
		if !trusted || len(tag) < len(head)+len(tail) ||
			!strings.HasPrefix(tag, head) || !strings.HasSuffix(tag, tail) {
			return
		}
		e := tag[len(head) : len(tag)-len(tail)]
		switch {
		case !validEmail(e), email != "" && e != email:
			conflict = true
		default:
			email = e
		}
	})
	if err != nil || conflict {
		return "", err
	}
	return email, nil
}

// caseTags appends "tags": the case tags that match view.case_tags and do
// not start with a reserved prefix (compared case-insensitively).
func (p *projector) caseTags(dst []byte, tags string) ([]byte, error) {
	dst = append(dst, `,"tags":[`...)
	first := true
	err := eachString(tags, "case tags", func(tag, raw string, esc bool) {
		if !p.showTag(tag) {
			return
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, tag, raw, esc)
	})
	if err != nil {
		return nil, err
	}
	return append(dst, ']'), nil
}

// showTag reports whether a case tag is shown.
func (p *projector) showTag(tag string) bool {
	for _, r := range p.reserved {
		if len(tag) >= len(r) && strings.EqualFold(tag[:len(r)], r) {
			return false
		}
	}
	for _, pattern := range p.tagPatterns {
		if pattern.match(tag) {
			return true
		}
	}
	return false
}

// customField is one entry of a case's customFields.
type customField struct {
	name, typ, value, order string
}

// customFields appends "customFields": the entries whose name is listed in
// view.case_custom_fields, each rebuilt from name, type, value and order.
func (p *projector) customFields(dst []byte, arr string) ([]byte, error) {
	dst = append(dst, `,"customFields":[`...)
	if !absent(arr) {
		if arr[0] != '[' {
			return nil, shapeError("case customFields is not an array")
		}
		first := true
		e := elements{s: arr, i: 1}
		for v, ok := e.next(); ok; v, ok = e.next() {
			if v[0] != '{' {
				return nil, shapeError("case customFields holds a non-object")
			}
			cf := readCustomField(v)
			name, ok := p.customFieldName(cf.name)
			if !ok {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendCustomField(dst, name, cf)
		}
	}
	return append(dst, ']'), nil
}

func readCustomField(obj string) customField {
	var cf customField
	m := members{s: obj, i: 1}
	for key, val, ok := m.next(); ok; key, val, ok = m.next() {
		switch key {
		case "name":
			cf.name = val
		case "type":
			cf.typ = val
		case "value":
			cf.value = val
		case "order":
			cf.order = val
		}
	}
	return cf
}

// customFieldName returns the listed name that the raw name equals.
func (p *projector) customFieldName(raw string) (string, bool) {
	if !isString(raw) {
		return "", false
	}
	for _, name := range p.customNames {
		if equalDecoded(content(raw), name, true) {
			return name, true
		}
	}
	return "", false
}

func appendCustomField(dst []byte, name string, cf customField) []byte {
	dst = gjson.AppendJSONString(append(dst, `{"name":`...), name)
	for _, kv := range [...]struct{ key, val string }{
		{`,"type":`, cf.typ}, {`,"value":`, cf.value}, {`,"order":`, cf.order},
	} {
		if kv.val != "" {
			dst = appendCompact(append(dst, kv.key...), kv.val)
		}
	}
	return append(dst, '}')
}
