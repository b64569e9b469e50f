package ui

import "time"

// View is the data of one page; each view type renders its own template.
// Only the types of this package implement it.
type View interface {
	page() string
}

// Layout is what every page shows around its content.
type Layout struct {
	// Title is the page's title (in the browser tab).
	Title string
	// User is the signed-in user's email; empty on the pages of visitors
	// who are not signed in (then no navigation and no sign-out button).
	User string
	// CSRF is the session's CSRF token: every form sends it back in its
	// first field, csrf (the sign-out form too).
	CSRF string
	// Section is the navigation entry of the page: "cases", "new" or "".
	Section string
	// CanCreate shows the "New case" entry of the navigation.
	CanCreate bool
}

// SignIn is the page of a visitor who is not signed in.
type SignIn struct {
	Layout
	// ReturnTo is the relative path the sign-in comes back to.
	ReturnTo string
	// Notice says why the visitor sees this page (e.g. "Sign in to see
	// this page."); empty on the home page.
	Notice string
}

// Message is a page that explains an outcome: not authorised, session
// expired, not found, an error.
type Message struct {
	Layout
	Heading, Text string
	// LinkURL and LinkText offer a way on; optional.
	LinkURL, LinkText string
	// RequestID identifies the request in the portal's logs; optional.
	RequestID string
}

// Option is one choice of a select element.
type Option struct {
	Value, Label string
	Selected     bool
}

// CaseList is the list of the cases the user may see.
type CaseList struct {
	Layout
	// Search, Status and Sort are what the user asked for.
	Search, Status, Sort       string
	StatusOptions, SortOptions []Option
	// Error explains a search that could not run; Rows is then empty.
	Error string
	Rows  []CaseRow
	// Total counts every matching case the user may see; First and Last
	// number the rows shown (from 1).
	Total, First, Last int
	Page, Pages        int
	// PrevURL and NextURL are the neighbour pages; empty at the ends.
	PrevURL, NextURL string
}

// CaseRow is one row of the case list.
type CaseRow struct {
	URL, Number, Title, Severity, Status string
	// SeverityLevel is 1 (low) to 4 (critical), 0 when unknown.
	SeverityLevel    int
	Created, Updated time.Time
}

// Case is the page of one case.
type Case struct {
	Layout
	Number, Title, Description, Severity, Status string
	SeverityLevel                                int
	// Fields are the other shown case fields (custom fields), in order.
	Fields []Field
	// Tags are the case tags the configuration shows.
	Tags []string
	// Timeline lists the dates of the case, oldest first.
	Timeline []Event
	// Shared lists what of the case is shared with the user (the notice).
	Shared []string
	// Done confirms what the user's last form did; may be empty.
	Done        string
	Comments    []Comment
	Attachments []Attachment
	Observables []Observable
	// The forms; nil when the user's profile does not allow them.
	CommentForm    *Form
	UploadForm     *UploadForm
	ObservableForm *ObservableForm
}

// Field is a named value.
type Field struct{ Name, Value string }

// Event is one entry of a case's timeline.
type Event struct {
	Label string
	At    time.Time
}

// Comment is one shared comment. Message is plain text: it is shown as
// typed, line breaks kept, never as HTML.
type Comment struct {
	ID, Author, Message string
	At                  time.Time
	Edited              bool
}

// Attachment is one shared file; URL downloads it.
type Attachment struct {
	ID, Name, ContentType, URL string
	Size                       int64
	At                         time.Time
}

// Observable is one observable that external users added.
type Observable struct {
	ID, Type, Data, Message, Author string
	At                              time.Time
}

// Form is the state of one form: where it posts, what the user typed
// (shown again after an error) and the errors, by field name.
type Form struct {
	Action string
	Values map[string]string
	Errors map[string]string
	// Error is a problem that is not about one field.
	Error string
}

// Value returns what the user typed in the field name.
func (f Form) Value(name string) string { return f.Values[name] }

// Err returns the error about the field name, or "".
func (f Form) Err(name string) string { return f.Errors[name] }

// UploadForm is the form that uploads attachments.
type UploadForm struct {
	Form
	// MaxBytes bounds one upload (all files together); MaxFiles the files.
	MaxBytes int64
	MaxFiles int
}

// ObservableForm is the form that adds observables.
type ObservableForm struct {
	Form
	// Types are the data types the user may choose.
	Types []Option
}

// NewCase is the page with the form that creates a case.
type NewCase struct {
	Layout
	Form Form
	// Severities are the severity choices; nil when the configuration does
	// not accept a severity.
	Severities []Option
}

func (SignIn) page() string   { return "signin" }
func (Message) page() string  { return "message" }
func (CaseList) page() string { return "cases" }
func (Case) page() string     { return "case" }
func (NewCase) page() string  { return "newcase" }
