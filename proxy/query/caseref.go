package query

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// CaseRef names a case the way a client may: by TheHive id or by case
// number. Exactly one of ID and Number is set.
type CaseRef struct {
	// ID is the TheHive id, "~" followed by digits without leading zeros
	// (e.g. "~41001"), or "" when the case is named by number.
	ID string
	// Number is the case number (1..999999999), or 0 when ID is set.
	Number int64
}

// String returns the reference as TheHive takes it in a path or in
// idOrName: the ID, or the number in decimal.
func (r CaseRef) String() string {
	if r.ID != "" {
		return r.ID
	}
	return strconv.FormatInt(r.Number, 10)
}

// ParseCaseID parses a case reference from a URL path segment. raw must be
// the raw, undecoded segment and match ^~[0-9]{1,19}$ (an int64 id without
// leading zeros) or ^[1-9][0-9]{0,8}$ (a case number); anything else, such
// as "%7E1", "#42", "~1;x", "~1/..", "+1", "01" or " 1", is an error.
func ParseCaseID(raw string) (CaseRef, error) {
	if ref, ok := caseRef(raw); ok {
		return ref, nil
	}
	return CaseRef{}, bad("invalid case id")
}

// caseRef parses "~<id>" or "<number>".
func caseRef(s string) (CaseRef, bool) {
	if len(s) > 1 && s[0] == '~' {
		id := s[1:]
		if !digits(id, 1, 19) || (len(id) > 1 && id[0] == '0') {
			return CaseRef{}, false
		}
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return CaseRef{}, false
		}
		return CaseRef{ID: s}, true
	}
	if !digits(s, 1, 9) || s[0] == '0' {
		return CaseRef{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return CaseRef{Number: n}, err == nil
}

// idOrName parses getCase's idOrName: a string as for ParseCaseID (after
// JSON decoding), or a JSON integer 1..999999999, which thehive4py sends
// when given an int.
func idOrName(r gjson.Result) (CaseRef, bool) {
	switch r.Type {
	case gjson.String:
		return caseRef(r.Str)
	case gjson.Number:
		if !digits(r.Raw, 1, 9) || r.Raw[0] == '0' {
			return CaseRef{}, false
		}
		return caseRef(r.Raw)
	}
	return CaseRef{}, false
}
