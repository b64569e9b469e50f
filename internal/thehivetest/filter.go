package thehivetest

import (
	"encoding/json"
	"reflect"
	"strings"
)

// node is a compiled filter expression evaluated on an object's generic JSON form.
type node interface {
	match(obj map[string]any) bool
}

// propertySets holds the filterable top-level properties of each kind: the JSON
// keys of its output type. Dotted paths descend from them.
var propertySets = map[string]map[string]bool{
	"Case": jsonKeys(Case{}), "Comment": jsonKeys(Comment{}), "Attachment": jsonKeys(Attachment{}),
	"Observable": jsonKeys(Observable{}), "Task": jsonKeys(Task{}), "Log": jsonKeys(Log{}),
	"Alert": jsonKeys(Alert{}), "Audit": jsonKeys(Audit{}),
}

func jsonKeys(v any) map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys[name] = true
	}
	return keys
}

func knownField(kind, field string) bool {
	first, _, _ := strings.Cut(field, ".")
	return propertySets[kind][first]
}

func errUnknownProperty(field, kind string) error {
	return errBadRequest("Property %s for type %s not found", field, kind)
}

// filterParser compiles TheHive filter JSON (current and legacy forms).
type filterParser struct{ kind string }

func (p *filterParser) parse(obj map[string]json.RawMessage) (node, error) {
	if len(obj) == 0 {
		return anyNode{}, nil
	}
	if f, ok := obj["_field"]; ok {
		v, hasValue := obj["_value"]
		if !hasValue || len(obj) != 2 {
			return nil, errBadRequest("Invalid filter: _field needs exactly one _value")
		}
		return p.compare("_eq", f, v)
	}
	if len(obj) != 1 {
		return nil, errBadRequest("Invalid filter: expected one operator, got %d keys", len(obj))
	}
	for key, raw := range obj {
		return p.operator(key, raw)
	}
	return nil, nil // unreachable
}

func (p *filterParser) operator(key string, raw json.RawMessage) (node, error) {
	switch key {
	case "_and", "_or":
		return p.list(key, raw)
	case "_not":
		var o map[string]json.RawMessage
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, errBadRequest("Invalid _not filter: %v", err)
		}
		n, err := p.parse(o)
		return notNode{n}, err
	case "_any":
		return anyNode{}, nil
	case "_id":
		return p.ids(raw)
	case "_has", "_contains":
		return p.has(raw)
	case "_in":
		return p.in(raw)
	case "_between":
		return p.between(raw)
	case "_eq", "_is", "_ne", "_lt", "_gt", "_lte", "_gte", "_like", "_wildcard", "_match", "_startsWith", "_endsWith":
		return p.binary(key, raw)
	}
	if strings.HasPrefix(key, "_") {
		return nil, errBadRequest("Invalid filter operator %s", key)
	}
	return p.compare("_eq", mustJSON(key), raw)
}

func mustJSON(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func (p *filterParser) list(key string, raw json.RawMessage) (node, error) {
	var subs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &subs); err != nil {
		return nil, errBadRequest("Invalid %s filter: %v", key, err)
	}
	nodes := make([]node, 0, len(subs))
	for _, s := range subs {
		n, err := p.parse(s)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if key == "_and" {
		return andNode(nodes), nil
	}
	return orNode(nodes), nil
}

// binary reads {"_field":f,"_value":v} or the legacy {f: v}.
func (p *filterParser) binary(op string, raw json.RawMessage) (node, error) {
	var o map[string]json.RawMessage
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return nil, errBadRequest("Invalid %s filter", op)
	}
	if f, ok := o["_field"]; ok {
		v, ok := o["_value"]
		if !ok {
			return nil, errBadRequest("Invalid %s filter: _value is missing", op)
		}
		return p.compare(op, f, v)
	}
	if len(o) != 1 {
		return nil, errBadRequest("Invalid %s filter", op)
	}
	for f, v := range o {
		return p.compare(op, mustJSON(f), v)
	}
	return nil, nil // unreachable
}

func (p *filterParser) field(raw json.RawMessage) (string, error) {
	var f string
	if err := json.Unmarshal(raw, &f); err != nil || f == "" {
		return "", errBadRequest("Invalid filter field: %s", raw)
	}
	if !knownField(p.kind, f) {
		return "", errUnknownProperty(f, p.kind)
	}
	return f, nil
}

func (p *filterParser) compare(op string, fieldRaw, valueRaw json.RawMessage) (node, error) {
	f, err := p.field(fieldRaw)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(valueRaw, &v); err != nil {
		return nil, errBadRequest("Invalid filter value: %v", err)
	}
	return cmpNode{op: op, field: f, value: v}, nil
}

func (p *filterParser) ids(raw json.RawMessage) (node, error) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return idNode{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, errBadRequest("Invalid _id filter")
	}
	return idNode(many), nil
}

func (p *filterParser) has(raw json.RawMessage) (node, error) {
	var o struct {
		Field json.RawMessage `json:"_field"`
	}
	if json.Unmarshal(raw, &o) == nil && o.Field != nil {
		raw = o.Field
	}
	f, err := p.field(raw)
	return hasNode{f}, err
}

func (p *filterParser) in(raw json.RawMessage) (node, error) {
	var o struct {
		Field  json.RawMessage `json:"_field"`
		Values []any           `json:"_values"`
	}
	if err := json.Unmarshal(raw, &o); err != nil || o.Field == nil {
		return nil, errBadRequest("Invalid _in filter")
	}
	f, err := p.field(o.Field)
	return inNode{field: f, values: o.Values}, err
}

func (p *filterParser) between(raw json.RawMessage) (node, error) {
	var o struct {
		Field json.RawMessage `json:"_field"`
		From  any             `json:"_from"`
		To    any             `json:"_to"`
	}
	if err := json.Unmarshal(raw, &o); err != nil || o.Field == nil {
		return nil, errBadRequest("Invalid _between filter")
	}
	f, err := p.field(o.Field)
	return betweenNode{field: f, from: o.From, to: o.To}, err
}
