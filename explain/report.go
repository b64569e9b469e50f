package explain

import "encoding/json"

// Report is the preview of one case for one external viewer. It marshals
// to the JSON that `thehive-portal explain --json` and GET /admin/explain
// print.
type Report struct {
	Viewer      ViewerReport `json:"viewer"`
	Case        CaseReport   `json:"case"`
	Comments    []Item       `json:"comments"`
	Attachments []Item       `json:"attachments"`
	Observables []Item       `json:"observables"`
}

// ViewerReport is who the preview is for, and what their profile lets them
// do.
type ViewerReport struct {
	Email  string   `json:"email"`
	Groups []string `json:"groups"`
	// Profile is the profile the groups grant ("" when none does and
	// profiles.default is none: such a user cannot sign in).
	Profile string `json:"profile"`
	// ProfileWhy is the policy's rule ("group:<g>", "default") or reason.
	ProfileWhy string `json:"profileWhy"`
	// Writes are the writes the profile allows.
	Writes []string `json:"writes"`
}

// CaseReport is the decision on the case and on each of its parts.
type CaseReport struct {
	ID     string `json:"id"`
	Number int64  `json:"number"`
	// Shown is the policy's decision on the case.
	Shown bool `json:"shown"`
	// Reason is the policy's reason (shared, not_shared, …) and Rule the
	// share rule that matched, when one did.
	Reason string `json:"reason"`
	Rule   string `json:"rule,omitempty"`
	// Fields are the case's top-level fields in TheHive's order.
	Fields []Entry `json:"fields"`
	// Tags and CustomFields are the case's tags and custom fields.
	Tags         []Entry `json:"tags"`
	CustomFields []Entry `json:"customFields"`
	// Seen is the case exactly as the portal would answer it; absent when
	// the case is hidden.
	Seen json.RawMessage `json:"seen,omitempty"`
}

// Entry is one field, tag or custom field of the case. Shown is what the
// filter kept (and false whenever the case is hidden); Why is the
// configuration that decides it.
type Entry struct {
	Name  string `json:"name"`
	Shown bool   `json:"shown"`
	Why   string `json:"why"`
	// Seen is the value as the viewer gets it, for shown fields.
	Seen json.RawMessage `json:"seen,omitempty"`
}

// Item is the decision on one comment, attachment or observable.
type Item struct {
	ID string `json:"id"`
	// Author is TheHive's author login (createdBy or _createdBy) and
	// CreatedAt its creation time in milliseconds, so that analysts can
	// find hidden items in TheHive.
	Author    string `json:"author"`
	CreatedAt int64  `json:"createdAt"`
	Shown     bool   `json:"shown"`
	// Reason is the policy's reason, or "case_hidden" when the item's own
	// rule would show it but the case is hidden. Rule names the share rule
	// that matched, when one did.
	Reason string `json:"reason"`
	Rule   string `json:"rule,omitempty"`
	// Why says it in words.
	Why string `json:"why"`
	// Seen is the item exactly as the portal would answer it; absent when
	// hidden.
	Seen json.RawMessage `json:"seen,omitempty"`
}

// ShownCount returns how many of items are shown.
func ShownCount(items []Item) int {
	n := 0
	for _, it := range items {
		if it.Shown {
			n++
		}
	}
	return n
}
