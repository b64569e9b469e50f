package explain

import (
	"errors"
	"fmt"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/policy"
)

// Errors of Explain and of the callers that fetch its Input.
var (
	// ErrBadInput: a body is not the JSON TheHive answers (not a case
	// object, not an array of objects, invalid or over the limits).
	ErrBadInput = errors.New("explain: unexpected JSON from thehive")
	// ErrCaseNotFound: TheHive has no such case (callers wrap it).
	ErrCaseNotFound = errors.New("case not found in thehive")
)

// Explainer previews cases with the portal's own policy and filter. It is
// immutable and safe for concurrent use.
type Explainer struct {
	cfg    *config.Config
	engine *policy.Engine
	filter *filter.Set
}

// New returns an Explainer over the engine and filter the portal built
// from cfg (so the preview can never disagree with the portal).
func New(cfg *config.Config, engine *policy.Engine, set *filter.Set) *Explainer {
	return &Explainer{cfg: cfg, engine: engine, filter: set}
}

// Compile builds the policy engine and the filter of cfg, as the portal
// does, and returns an Explainer over them.
func Compile(cfg *config.Config) (*Explainer, error) {
	engine, err := policy.New(cfg)
	if err != nil {
		return nil, err
	}
	set, err := filter.New(cfg)
	if err != nil {
		return nil, err
	}
	return New(cfg, engine, set), nil
}

// Viewer is the external user of the preview.
type Viewer struct {
	Email  string
	Groups []string
}

// Input is what TheHive answers, read with the service key: the case
// object and the JSON arrays of its comments, attachments and observables
// (nil: none).
type Input struct {
	Case                               []byte
	Comments, Attachments, Observables []byte
	// ServiceLogin is the portal's service login: attribution the portal
	// wrote is trusted only on objects it created.
	ServiceLogin string
}

// Explain decides the case and every item for v, and projects what is
// shown exactly as the portal would.
func (x *Explainer) Explain(v Viewer, in Input) (*Report, error) {
	if err := x.filter.Validate(in.Case); err != nil {
		return nil, fmt.Errorf("%w: case: %v", ErrBadInput, err)
	}
	caseObj := gjson.ParseBytes(in.Case)
	if !caseObj.IsObject() {
		return nil, fmt.Errorf("%w: case is not an object", ErrBadInput)
	}
	pv, viewer := x.viewer(v)
	r := &Report{Viewer: viewer}
	var err error
	if r.Case, err = x.explainCase(pv, caseObj, in); err != nil {
		return nil, err
	}
	kinds := []struct {
		kind config.Kind
		body []byte
		out  *[]Item
	}{
		{config.KindComment, in.Comments, &r.Comments},
		{config.KindAttachment, in.Attachments, &r.Attachments},
		{config.KindObservable, in.Observables, &r.Observables},
	}
	for _, k := range kinds {
		items, err := x.explainItems(pv, k.kind, k.body, caseObj, r.Case.Shown, in.ServiceLogin)
		if err != nil {
			return nil, err
		}
		*k.out = items
	}
	return r, nil
}

// viewer resolves the profile as the portal does at sign-in.
func (x *Explainer) viewer(v Viewer) (policy.Viewer, ViewerReport) {
	groups := append([]string{}, v.Groups...)
	profile, d := x.engine.Profile(groups)
	pv := policy.Viewer{Email: v.Email, Groups: groups, Profile: profile}
	vr := ViewerReport{Email: v.Email, Groups: groups, Profile: profile, ProfileWhy: d.Rule, Writes: []string{}}
	if !d.Allow {
		vr.ProfileWhy = string(d.Reason)
	}
	for _, w := range x.engine.Writes(pv) {
		vr.Writes = append(vr.Writes, string(w))
	}
	return pv, vr
}

// explainCase decides the case and explains its fields, tags and custom
// fields.
func (x *Explainer) explainCase(v policy.Viewer, obj gjson.Result, in Input) (CaseReport, error) {
	d := x.engine.Case(v, obj)
	cr := CaseReport{ID: obj.Get("_id").String(), Number: obj.Get("number").Int(), Shown: d.Allow,
		Reason: string(d.Reason), Rule: d.Rule}
	// The projection of the case whatever the decision: it tells which
	// parts would be shown; Seen is kept only when the case is visible.
	projected, _, err := x.filter.One(config.KindCase, in.Case, filter.Scope{
		Visible: func(gjson.Result) bool { return true }, ServiceLogin: in.ServiceLogin})
	if err != nil {
		return cr, fmt.Errorf("%w: case: %v", ErrBadInput, err)
	}
	seen := gjson.ParseBytes(projected)
	cr.Fields = x.caseFields(obj, seen, d.Allow)
	cr.Tags = x.caseTags(obj.Get("tags"), seen.Get("tags"), d.Allow)
	cr.CustomFields = x.customFields(obj.Get("customFields"), seen.Get("customFields"), d.Allow)
	if d.Allow {
		cr.Seen = projected
	}
	return cr, nil
}
