package query

import (
	"slices"

	"github.com/thehive-portal/thehive-portal/config"
)

// Default limits, used for a zero field of Limits.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxDepth       = 32
	DefaultMaxPageSize    = 100
	DefaultMaxFilterTerms = 50
)

// Fixed bounds of the grammar.
const (
	maxOps         = 6    // operations in "query"
	maxBoolTerms   = 20   // elements of one _and / _or
	maxInValues    = 100  // values of one _in
	maxStringBytes = 1024 // a string value in a filter
	maxSortFields  = 5    // elements of _fields
	maxNameBytes   = 200  // the decoded ?name= value
	maxIndex       = 999999999
)

// Limits bound what Parse accepts. A zero or negative number means its
// Default constant.
type Limits struct {
	// MaxBodyBytes bounds the body. Default 1 MiB.
	MaxBodyBytes int
	// MaxDepth bounds the nesting of arrays and objects in the body (the
	// top-level object is depth 1). Default 32.
	MaxDepth int
	// MaxPageSize bounds to-from of a page. Default 100.
	MaxPageSize int
	// MaxFilterTerms bounds the number of expressions in a filter, each
	// _and, _or and _not counting as one. Default 50.
	MaxFilterTerms int
	// Fields is the allow-list of the fields an external user may filter
	// and sort on, per kind (the root kind of the query: case, or the child
	// kind). A kind missing from the map allows no field at all, so a
	// forgotten allow-list fails closed. List only fields external users
	// can see (DefaultFields); never tags, access, external,
	// customFields.*, _createdBy or assignee unless they are shown.
	Fields map[config.Kind][]string
}

// DefaultFields returns a fresh copy of the default allow-lists: the fields
// of DESIGN.md's projection that TheHive holds as such (not createdBy,
// which the portal rewrites, nor _type).
func DefaultFields() map[config.Kind][]string {
	return map[config.Kind][]string{
		config.KindCase: {"_id", "number", "title", "description", "severity", "status", "stage",
			"startDate", "endDate", "_createdAt", "_updatedAt"},
		config.KindComment:    {"_id", "message", "createdAt", "_createdAt", "isEdited"},
		config.KindAttachment: {"_id", "name", "size", "contentType", "_createdAt"},
		config.KindObservable: {"_id", "dataType", "data", "message", "_createdAt"},
	}
}

// FromConfig returns the Limits of the portal's configuration with the
// given allow-lists (DefaultFields when fields is nil) and the default
// MaxFilterTerms.
func FromConfig(l config.Limits, fields map[config.Kind][]string) Limits {
	if fields == nil {
		fields = DefaultFields()
	}
	return Limits{
		MaxBodyBytes: int(min(int64(l.MaxBodyBytes), 1<<30)),
		MaxDepth:     l.MaxJSONDepth,
		MaxPageSize:  l.MaxPageSize,
		Fields:       fields,
	}
}

// normal replaces zero and negative limits by their defaults.
func (l Limits) normal() Limits {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&l.MaxBodyBytes, DefaultMaxBodyBytes)
	def(&l.MaxDepth, DefaultMaxDepth)
	def(&l.MaxPageSize, DefaultMaxPageSize)
	def(&l.MaxFilterTerms, DefaultMaxFilterTerms)
	return l
}

// allowed reports whether field is in the allow-list of kind k.
func (l *Limits) allowed(k config.Kind, field string) bool {
	return field != "" && slices.Contains(l.Fields[k], field)
}
