package notify

import (
	"fmt"
	"strings"
	"unicode"
)

// Event is why a mail is sent.
type Event string

// The events that send a mail.
const (
	// EventShared: the case became visible to the user.
	EventShared Event = "shared"
	// EventComment: a new external comment appeared on a case the user
	// sees.
	EventComment Event = "comment"
	// EventAttachment: a new external attachment appeared on a case the
	// user sees.
	EventAttachment Event = "attachment"
)

// Mail is one notification to one user about one case. It carries only
// what Render may show: the case number, its title and the link.
type Mail struct {
	// To is the recipient's email address.
	To string
	// Event says what happened.
	Event Event
	// CaseID is the case's TheHive _id; it keys the rate limit and is not
	// shown (the link holds it).
	CaseID string
	// CaseNumber and CaseTitle are shown.
	CaseNumber int64
	CaseTitle  string
	// Link is the case's page in the portal.
	Link string
}

// maxTitleRunes bounds the title shown in a mail.
const maxTitleRunes = 200

// Render returns the subject and the plain-text body of m. The subject
// holds only the case number; the body the number, the title (control
// characters removed, at most 200 characters) and the link.
func Render(m Mail) (subject, body string) {
	var what string
	switch m.Event {
	case EventShared:
		subject, what = fmt.Sprintf("Case #%d was shared with you", m.CaseNumber), "was shared with you"
	case EventComment:
		subject, what = fmt.Sprintf("New comment on case #%d", m.CaseNumber), "has a new comment"
	default:
		subject, what = fmt.Sprintf("New attachment on case #%d", m.CaseNumber), "has a new attachment"
	}
	var b strings.Builder
	b.WriteString("Hello,\n\n")
	fmt.Fprintf(&b, "Case #%d \"%s\" %s.\n\n", m.CaseNumber, cleanTitle(m.CaseTitle), what)
	b.WriteString("Open it in the portal:\n")
	b.WriteString(m.Link)
	b.WriteString("\n\nThis message holds no case content: sign in to the portal to read the case.\n")
	return subject, b.String()
}

// cleanTitle removes control and format characters, folds runs of spaces
// and cuts the title to maxTitleRunes.
func cleanTitle(t string) string {
	t = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, t)
	t = strings.Join(strings.Fields(t), " ")
	if r := []rune(t); len(r) > maxTitleRunes {
		t = string(r[:maxTitleRunes-1]) + "…"
	}
	return t
}
