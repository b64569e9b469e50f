package query

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// fieldOps maps the accepted {"<op>":{"_field":f,"_value":v}} operators to
// their canonical name.
var fieldOps = map[string]string{
	"_eq": "_eq", "_is": "_eq", "_ne": "_ne",
	"_lt": "_lt", "_gt": "_gt", "_lte": "_lte", "_gte": "_gte",
	"_startsWith": "_startsWith", "_endsWith": "_endsWith", "_like": "_like", "_match": "_match",
}

// textOps take only string values.
var textOps = map[string]bool{"_startsWith": true, "_endsWith": true, "_like": true, "_match": true}

// expr is one validated filter expression. Values are string, bool or a
// canonical json.Number.
type expr struct {
	op       string
	field    string
	value    any
	values   []any
	from, to any
	subs     []*expr
}

type fieldArg struct {
	Field string `json:"_field"`
	Value any    `json:"_value"`
}

type inArg struct {
	Field  string `json:"_field"`
	Values []any  `json:"_values"`
}

type betweenArg struct {
	Field string `json:"_field"`
	From  any    `json:"_from"`
	To    any    `json:"_to"`
}

// MarshalJSON writes the canonical form of e: one operator key whose
// argument uses the modern _field/_value layout.
func (e *expr) MarshalJSON() ([]byte, error) {
	var arg any
	switch e.op {
	case "_and", "_or":
		arg = e.subs
	case "_not":
		arg = e.subs[0]
	case "_has":
		arg = e.field
	case "_in":
		arg = inArg{e.field, e.values}
	case "_between":
		arg = betweenArg{e.field, e.from, e.to}
	default:
		arg = fieldArg{e.field, e.value}
	}
	return json.Marshal(map[string]any{e.op: arg})
}

// filterParser checks one filter against the allow-list of kind.
type filterParser struct {
	lim   *Limits
	kind  config.Kind
	terms int
}

// parseFilter validates the members of a filter operation other than _name
// and returns the canonical expression, or nil for the empty filter (which
// matches everything).
func parseFilter(m map[string]gjson.Result, kind config.Kind, lim *Limits) (json.RawMessage, error) {
	if len(m) == 0 {
		return nil, nil
	}
	p := filterParser{lim: lim, kind: kind}
	e, err := p.expr(m)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(e)
	if err != nil {
		return nil, bad("filter: cannot encode")
	}
	return out, nil
}

// expr parses one expression object, given by its members.
func (p *filterParser) expr(m map[string]gjson.Result) (*expr, error) {
	if p.terms++; p.terms > p.lim.MaxFilterTerms {
		return nil, bad("filter: too many terms")
	}
	if len(m) == 2 && only(m, "_field", "_value") {
		return p.fieldOp("_eq", m)
	}
	if len(m) != 1 {
		return nil, bad("filter: an expression must have exactly one operator")
	}
	for k, v := range m {
		switch {
		case k == "_and" || k == "_or":
			return p.boolOp(k, v)
		case k == "_not":
			sub, ok := object(v)
			if !ok {
				return nil, bad("filter: _not takes an expression")
			}
			e, err := p.expr(sub)
			if err != nil {
				return nil, err
			}
			return &expr{op: "_not", subs: []*expr{e}}, nil
		case fieldOps[k] != "":
			arg, ok := object(v)
			if !ok {
				return nil, bad("filter: operator takes an object")
			}
			return p.fieldOp(fieldOps[k], arg)
		case k == "_in":
			return p.in(v)
		case k == "_between":
			return p.between(v)
		case k == "_has" || k == "_contains": // thehive4py's deprecated Contains
			f, ok := str(v)
			if !ok || !p.lim.allowed(p.kind, f) {
				return nil, bad("filter: unknown operator or field not allowed")
			}
			return &expr{op: "_has", field: f}, nil
		}
	}
	// Legacy {"<field>": value}; also covers {"_id": "~1"}.
	return p.fieldOp("_eq", m)
}

// boolOp parses _and / _or: an array of 1..20 expressions.
func (p *filterParser) boolOp(op string, v gjson.Result) (*expr, error) {
	if !v.IsArray() {
		return nil, bad("filter: %s takes an array", op)
	}
	items := v.Array()
	if len(items) < 1 || len(items) > maxBoolTerms {
		return nil, bad("filter: %s takes 1 to %d expressions", op, maxBoolTerms)
	}
	e := &expr{op: op}
	for _, it := range items {
		m, ok := object(it)
		if !ok {
			return nil, bad("filter: %s takes expressions", op)
		}
		sub, err := p.expr(m)
		if err != nil {
			return nil, err
		}
		e.subs = append(e.subs, sub)
	}
	return e, nil
}

// fieldOp parses {"_field":f,"_value":v} or the legacy {"<field>":v}.
func (p *filterParser) fieldOp(op string, m map[string]gjson.Result) (*expr, error) {
	var field string
	var val gjson.Result
	switch {
	case len(m) == 2 && only(m, "_field", "_value"):
		field, _ = str(m["_field"])
		val = m["_value"]
	case len(m) == 1 && !only(m, "_field", "_value"):
		for k, v := range m {
			field, val = k, v
		}
	default:
		return nil, bad("filter: operator takes _field and _value")
	}
	if !p.lim.allowed(p.kind, field) {
		return nil, bad("filter: unknown operator or field not allowed")
	}
	v, err := scalar(val, textOps[op])
	if err != nil {
		return nil, err
	}
	return &expr{op: op, field: field, value: v}, nil
}

// in parses {"_field":f,"_values":[…]} with 1..100 values.
func (p *filterParser) in(v gjson.Result) (*expr, error) {
	m, ok := object(v)
	if !ok || len(m) != 2 || !only(m, "_field", "_values") || !m["_values"].IsArray() {
		return nil, bad("filter: _in takes _field and _values")
	}
	f, _ := str(m["_field"])
	if !p.lim.allowed(p.kind, f) {
		return nil, bad("filter: unknown operator or field not allowed")
	}
	items := m["_values"].Array()
	if len(items) < 1 || len(items) > maxInValues {
		return nil, bad("filter: _in takes 1 to %d values", maxInValues)
	}
	e := &expr{op: "_in", field: f}
	for _, it := range items {
		s, err := scalar(it, false)
		if err != nil {
			return nil, err
		}
		e.values = append(e.values, s)
	}
	return e, nil
}

// between parses {"_field":f,"_from":a,"_to":b}.
func (p *filterParser) between(v gjson.Result) (*expr, error) {
	m, ok := object(v)
	if !ok || len(m) != 3 || !only(m, "_field", "_from", "_to") {
		return nil, bad("filter: _between takes _field, _from and _to")
	}
	f, _ := str(m["_field"])
	if !p.lim.allowed(p.kind, f) {
		return nil, bad("filter: unknown operator or field not allowed")
	}
	from, err := scalar(m["_from"], false)
	if err != nil {
		return nil, err
	}
	to, err := scalar(m["_to"], false)
	if err != nil {
		return nil, err
	}
	return &expr{op: "_between", field: f, from: from, to: to}, nil
}

// scalar returns a filter value: a string of at most 1 KiB, or, unless
// textOnly, a finite number (canonical json.Number) or a boolean.
func scalar(r gjson.Result, textOnly bool) (any, error) {
	switch {
	case r.Type == gjson.String:
		if len(r.Str) > maxStringBytes {
			return nil, bad("filter: value too long")
		}
		return r.Str, nil
	case textOnly:
		return nil, bad("filter: operator takes a string value")
	case r.Type == gjson.True || r.Type == gjson.False:
		return r.Type == gjson.True, nil
	case r.Type == gjson.Number:
		if n, ok := canonNumber(r.Raw); ok {
			return n, nil
		}
		return nil, bad("filter: number out of range")
	}
	return nil, bad("filter: values must be strings, numbers or booleans")
}

// canonNumber rewrites a JSON number literal: an integer that fits int64 in
// plain decimal, anything else as encoding/json writes the float64 (no -0,
// no infinities). Re-encoding the result gives the same text.
func canonNumber(raw string) (json.Number, bool) {
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(n, 10)), true
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	if f == 0 {
		f = 0 // drop the sign of -0
	}
	out, err := json.Marshal(f)
	return json.Number(out), err == nil
}
