package config

// Kind names a TheHive object type that the share model knows.
type Kind string

// The kinds of the share model.
const (
	KindCase       Kind = "case"
	KindComment    Kind = "comment"
	KindAttachment Kind = "attachment"
	KindObservable Kind = "observable"
)

// Kinds lists every Kind in a fixed order.
var Kinds = []Kind{KindCase, KindComment, KindAttachment, KindObservable}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindCase, KindComment, KindAttachment, KindObservable:
		return true
	}
	return false
}

// Write names a write that a profile may allow.
type Write string

// The writes an external user can make through the portal. There is no
// update, delete or share write: external users never get those.
const (
	WriteCase       Write = "case"       // create a case
	WriteComment    Write = "comment"    // add a comment to a visible case
	WriteAttachment Write = "attachment" // upload attachments to a visible case
	WriteObservable Write = "observable" // add observables to a visible case
)

// Writes lists every Write in a fixed order.
var Writes = []Write{WriteComment, WriteAttachment, WriteObservable, WriteCase}

// Valid reports whether w is one of Writes.
func (w Write) Valid() bool {
	switch w {
	case WriteCase, WriteComment, WriteAttachment, WriteObservable:
		return true
	}
	return false
}

// The profile names that exist without any configuration.
const (
	ProfileReader      = "reader"
	ProfileContributor = "contributor"
	ProfileReporter    = "reporter"
	// ProfileNone as profiles.default means that a user whom no group maps
	// to a profile is refused.
	ProfileNone = "none"
)

// Placeholders a tag pattern of a share rule may hold. They are replaced by
// the viewer's values (lower-cased email, each SSO group, the email's domain)
// or, for {id}, by the _id of the attachment being decided.
const (
	PlaceholderEmail  = "{email}"
	PlaceholderGroup  = "{group}"
	PlaceholderDomain = "{domain}"
	PlaceholderID     = "{id}"
)
