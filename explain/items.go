package explain

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/policy"
)

// ReasonCaseHidden is Item.Reason when the case itself is hidden, which
// hides every item whatever its own rules say.
const ReasonCaseHidden = "case_hidden"

// explainItems decides each item of a JSON array of kind, and returns
// them oldest first.
func (x *Explainer) explainItems(v policy.Viewer, kind config.Kind, body []byte, caseObj gjson.Result, caseShown bool, login string) ([]Item, error) {
	out := []Item{}
	if body == nil {
		return out, nil
	}
	if err := x.filter.Validate(body); err != nil {
		return nil, fmt.Errorf("%w: %ss: %v", ErrBadInput, kind, err)
	}
	list := gjson.ParseBytes(body)
	if !list.IsArray() {
		return nil, fmt.Errorf("%w: %ss: not an array", ErrBadInput, kind)
	}
	var err error
	list.ForEach(func(_, obj gjson.Result) bool {
		var it Item
		if it, err = x.explainItem(v, kind, obj, caseObj, caseShown, login); err != nil {
			return false
		}
		out = append(out, it)
		return true
	})
	slices.SortStableFunc(out, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// explainItem decides one item and, when it is shown, projects it.
func (x *Explainer) explainItem(v policy.Viewer, kind config.Kind, obj, caseObj gjson.Result, caseShown bool, login string) (Item, error) {
	if !obj.IsObject() {
		return Item{}, fmt.Errorf("%w: %ss: an item is not an object", ErrBadInput, kind)
	}
	d := x.engine.Decide(v, kind, obj, caseObj)
	it := Item{ID: obj.Get("_id").String(), Author: author(kind, obj), CreatedAt: createdAt(kind, obj),
		Shown: d.Allow && caseShown, Reason: string(d.Reason), Rule: d.Rule, Why: itemWhy(kind, d)}
	if !caseShown {
		it.Reason, it.Why = ReasonCaseHidden, caseHiddenWhy(kind, d)
	}
	if !it.Shown {
		return it, nil
	}
	seen, _, err := x.filter.One(kind, []byte(obj.Raw), filter.Scope{
		Visible: func(gjson.Result) bool { return true }, ServiceLogin: login})
	if err != nil {
		return Item{}, fmt.Errorf("%w: %s %s: %v", ErrBadInput, kind, it.ID, err)
	}
	it.Seen = json.RawMessage(seen)
	return it, nil
}

// itemWhy puts a decision on an item of a visible case into words.
func itemWhy(kind config.Kind, d policy.Decision) string {
	switch {
	case d.Allow:
		return "shared by rule " + d.Rule
	case d.Reason == policy.ReasonNotShared:
		return "no rule of share." + string(kind) + " matched"
	case d.Reason == policy.ReasonMalformed:
		return "not a well-formed " + string(kind) + " (no _id or wrong _type)"
	case d.Reason == policy.ReasonNoViewer:
		return "the viewer has no valid email, so no rule can match"
	}
	return string(d.Reason)
}

// caseHiddenWhy explains an item of a hidden case, saying what its own
// rules would decide.
func caseHiddenWhy(kind config.Kind, d policy.Decision) string {
	if d.Allow {
		return "the case is hidden (rule " + d.Rule + " would show it otherwise)"
	}
	return "the case is hidden (and " + itemWhy(kind, d) + ")"
}

// author is TheHive's author login of an item: comments carry createdBy,
// other objects _createdBy.
func author(kind config.Kind, obj gjson.Result) string {
	if kind == config.KindComment {
		if a := obj.Get("createdBy"); a.Exists() {
			return a.String()
		}
	}
	return obj.Get("_createdBy").String()
}

// createdAt is the creation time of an item in milliseconds.
func createdAt(kind config.Kind, obj gjson.Result) int64 {
	if kind == config.KindComment {
		if t := obj.Get("createdAt"); t.Exists() {
			return t.Int()
		}
	}
	return obj.Get("_createdAt").Int()
}
