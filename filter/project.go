package filter

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/tidwall/gjson"
)

// role says what the projection does with one input key.
type role uint8

const (
	roleCopy      role = iota // copied as it is (compacted)
	roleID                    // _id: copied, must be a string
	roleMessage               // comment message: marker and attribution removed
	roleCreatedBy             // comment createdBy: read to trust attribution
	roleAuthor                // observable _createdBy: read to trust the author tag
	roleTags                  // case tags (filtered), observable tags (author)
	roleCustom                // case customFields (filtered, rebuilt)
)

// entry is one input key a view reads; copy says whether it is written.
type entry struct {
	name string
	key  string // `"name":`, ready to append
	role role
	copy bool
}

// view is the compiled projection of one kind.
type view struct {
	kind    config.Kind
	entries []entry
	// slots is an open-addressing table of entry index+1 by fieldSlot, so
	// that the keys a view does not read (most of them) usually cost one
	// probe.
	slots [slotCount]uint8
}

const slotCount = 128 // a power of two, well above the entries a view can have

// fieldSlot is the first slot probed for name.
func fieldSlot(name string) int {
	if name == "" {
		return 0
	}
	return (len(name)*31 + int(name[0])*7 + int(name[len(name)-1])) & (slotCount - 1)
}

// builtKeys are the output keys the portal builds for each kind, and
// readKeys the input keys it reads for them: neither may be listed in
// view.fields, or the output could hold a key twice or copy what the
// portal rewrites.
var (
	builtKeys = map[config.Kind][]string{
		config.KindCase:       {"tags", "customFields", "extraData"},
		config.KindComment:    {"createdBy", "extraData"},
		config.KindAttachment: {"extraData"},
		config.KindObservable: {"createdBy", "extraData"},
	}
	readKeys = map[config.Kind][]entry{
		config.KindCase:       {{name: "tags", role: roleTags}, {name: "customFields", role: roleCustom}},
		config.KindComment:    {{name: "message", role: roleMessage}, {name: "createdBy", role: roleCreatedBy}},
		config.KindObservable: {{name: "_createdBy", role: roleAuthor}, {name: "tags", role: roleTags}},
	}
)

// newView compiles the allow-list fields of kind.
func newView(kind config.Kind, fields []string) (view, error) {
	v := view{kind: kind}
	hasID := false
	for _, f := range fields {
		if !plainName(f) {
			return v, fmt.Errorf("filter: view.fields.%s: %q is not a plain field name", kind, f)
		}
		for _, e := range v.entries {
			if strings.EqualFold(e.name, f) {
				return v, fmt.Errorf("filter: view.fields.%s: %s is listed twice", kind, f)
			}
		}
		for _, b := range builtKeys[kind] {
			if strings.EqualFold(b, f) {
				return v, fmt.Errorf("filter: view.fields.%s: %s is built by the portal", kind, f)
			}
		}
		e := entry{name: f, role: roleCopy, copy: true}
		for _, r := range readKeys[kind] {
			if strings.EqualFold(r.name, f) && r.role != roleMessage {
				return v, fmt.Errorf("filter: view.fields.%s: %s is read by the portal and cannot be listed", kind, f)
			}
			if r.name == f {
				e.role = r.role
			}
		}
		if f == "_id" {
			e.role, hasID = roleID, true
		}
		v.entries = append(v.entries, e)
	}
	if !hasID {
		return v, fmt.Errorf("filter: view.fields.%s must include _id", kind)
	}
	for _, r := range readKeys[kind] {
		if !slices.ContainsFunc(v.entries, func(e entry) bool { return e.name == r.name }) {
			v.entries = append(v.entries, r)
		}
	}
	if len(v.entries) > slotCount/2 {
		return v, fmt.Errorf("filter: view.fields.%s lists more than %d fields", kind, slotCount/2-4)
	}
	for i := range v.entries {
		v.entries[i].key = `"` + v.entries[i].name + `":`
		h := fieldSlot(v.entries[i].name)
		for v.slots[h] != 0 {
			h = (h + 1) & (slotCount - 1)
		}
		v.slots[h] = uint8(i + 1)
	}
	return v, nil
}

// plainName reports whether f is an identifier, so that it can be written
// as a JSON key without escaping.
func plainName(f string) bool {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return f != ""
}

// lookup returns the index of the entry named name, or -1.
func (v *view) lookup(name string) int {
	for h := fieldSlot(name); v.slots[h] != 0; h = (h + 1) & (slotCount - 1) {
		if e := int(v.slots[h]) - 1; v.entries[e].name == name {
			return e
		}
	}
	return -1
}

// member is one input member a view reads.
type member struct {
	entry int
	val   string
}

// readValues are the raw values of the keys with a role in one item.
type readValues struct {
	id, message, createdBy, author, tags, custom string
}

// projector builds the output of one call.
type projector struct {
	*Set
	view  *view
	scope *Scope
}

// overhead estimates how much larger than its input one item's output can
// be: the keys the portal adds. It only sizes buffers.
func (p *projector) overhead() int {
	return len(`{,"tags":[],"customFields":[],"createdBy":,"extraData":{}}`) + max(len(p.alias), maxEmailLen+2)
}

// list appends the projected items to out, as an array or the paged form.
func (p *projector) list(out []byte, items []string, total int, paged bool) ([]byte, int, error) {
	size := 32 + len(items)*(p.overhead()+1)
	for _, it := range items {
		size += len(it)
	}
	out = slices.Grow(out, size)
	if paged {
		out = append(out, `{"result":`...)
	}
	out = append(out, '[')
	var err error
	for i, it := range items {
		if i > 0 {
			out = append(out, ',')
		}
		if out, err = p.item(out, it); err != nil {
			return nil, 0, err
		}
	}
	out = append(out, ']')
	if paged {
		out = append(out, `,"total":`...)
		out = strconv.AppendInt(out, int64(total), 10)
		out = append(out, '}')
	}
	return out, total, nil
}

// item appends the projection of one visible item: the listed keys in
// input order, then the keys the portal builds for the kind.
func (p *projector) item(dst []byte, item string) ([]byte, error) {
	var buf [24]member
	mem, f := p.collect(item, buf[:0])
	if !isString(f.id) {
		return nil, shapeError("item has no string _id")
	}
	var message, author string
	var err error
	switch p.view.kind {
	case config.KindComment:
		message, author, err = p.comment(f)
	case config.KindObservable:
		author, err = p.observableAuthor(f)
	}
	if err != nil {
		return nil, err
	}
	dst = p.copied(append(dst, '{'), mem, message)
	switch p.view.kind {
	case config.KindCase:
		if dst, err = p.caseTags(dst, f.tags); err != nil {
			return nil, err
		}
		if dst, err = p.customFields(dst, f.custom); err != nil {
			return nil, err
		}
	case config.KindComment, config.KindObservable:
		dst = p.createdBy(dst, author)
	}
	return append(dst, `,"extraData":{}}`...), nil
}

// collect finds the members of item that the view reads.
func (p *projector) collect(item string, mem []member) ([]member, readValues) {
	var f readValues
	m := members{s: item, i: 1}
	for key, val, ok := m.next(); ok; key, val, ok = m.next() {
		e := p.view.lookup(key)
		if e < 0 {
			continue
		}
		mem = append(mem, member{e, val})
		switch p.view.entries[e].role {
		case roleID:
			f.id = val
		case roleMessage:
			f.message = val
		case roleCreatedBy:
			f.createdBy = val
		case roleAuthor:
			f.author = val
		case roleTags:
			f.tags = val
		case roleCustom:
			f.custom = val
		}
	}
	return mem, f
}

// copied appends the listed members in input order; message is the
// rewritten body of a comment message.
func (p *projector) copied(dst []byte, mem []member, message string) []byte {
	first := true
	for _, m := range mem {
		e := &p.view.entries[m.entry]
		if !e.copy {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, e.key...)
		if e.role == roleMessage {
			dst = append(append(append(dst, '"'), message...), '"')
		} else {
			dst = appendCompact(dst, m.val)
		}
	}
	return dst
}

// createdBy appends the author: the email when attribution was trusted,
// otherwise the analyst alias.
func (p *projector) createdBy(dst []byte, email string) []byte {
	dst = append(dst, `,"createdBy":`...)
	if email == "" {
		return append(dst, p.alias...)
	}
	return append(append(append(dst, '"'), email...), '"') // valid emails need no escaping
}

// trusted reports whether a raw createdBy value is the service login.
func (p *projector) trusted(raw string) bool {
	login := p.scope.ServiceLogin
	return login != "" && isString(raw) && equalDecoded(content(raw), login, true)
}

// absent reports whether a raw value is missing or null.
func absent(raw string) bool { return raw == "" || raw == "null" }

// eachString calls fn with each decoded string of the raw array arr
// (absent or null: none); anything else is a shape error.
func eachString(arr, what string, fn func(s, raw string, esc bool)) error {
	if absent(arr) {
		return nil
	}
	if arr[0] != '[' {
		return shapeError(what + " is not an array")
	}
	e := elements{s: arr, i: 1}
	for v, ok := e.next(); ok; v, ok = e.next() {
		if !isString(v) {
			return shapeError(what + " holds a non-string")
		}
		s, esc := decodeString(v)
		fn(s, v, esc)
	}
	return nil
}

// appendString appends a decoded string as JSON: raw as it came when it
// had no escapes, re-encoded otherwise.
func appendString(dst []byte, s, raw string, esc bool) []byte {
	if !esc {
		return append(dst, raw...)
	}
	return gjson.AppendJSONString(dst, s)
}
