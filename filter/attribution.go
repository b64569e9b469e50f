package filter

import "strings"

// The attribution line the portal writes at the start of every comment an
// external user posts, after the comment marker:
//
//	[external] _Posted by jane.doe@partner.example.com through the external portal._
//
//	<the user's text>
//
// Analysts read it in TheHive as Markdown. The filter trusts it only on
// comments created by the portal's service login; anywhere else it is text.
const (
	attributionHead = "_Posted by "
	attributionTail = " through the external portal._\n\n"
	maxEmailLen     = 254
)

// FormatComment returns the message the portal sends to TheHive for a
// comment that the external user email writes through the portal: the
// marker prefix (typically config Markers.CommentPrefix; omitted when
// empty), the attribution line, a blank line, then text unchanged. email is
// lower-cased; it must be the signed-in user's verified address, because
// FormatComment does not check it and a comment whose email is not a plain
// address is shown with the analyst alias. Neutralising a forged marker or
// attribution at the start of text is the caller's job; the filter only
// ever trusts the first attribution line.
func FormatComment(prefix, email, text string) string {
	var b strings.Builder
	b.Grow(len(prefix) + 1 + len(attributionHead) + len(email) + len(attributionTail) + len(text))
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(' ')
	}
	b.WriteString(attributionHead)
	b.WriteString(strings.ToLower(email))
	b.WriteString(attributionTail)
	b.WriteString(text)
	return b.String()
}

// ParseComment is the inverse of FormatComment on a decoded message: when
// message starts with prefix (skipped when empty) and spaces, then the
// attribution line with a valid lower-case email and a blank line, it
// returns that email and the text after the blank line. It does not decide
// trust: an attribution counts only on a comment created by the portal's
// service login, which One and List check.
func ParseComment(prefix, message string) (email, text string, ok bool) {
	i := 0
	if prefix != "" {
		if !strings.HasPrefix(message, prefix) {
			return "", "", false
		}
		i = skipSpaces(message, len(prefix), false)
	}
	email, next, ok := parseAttribution(message, i, false)
	if !ok {
		return "", "", false
	}
	return email, message[next:], true
}

// skipSpaces skips decoded ' ' characters from s[i].
func skipSpaces(s string, i int, esc bool) int {
	for {
		next, ok := matchDecoded(s, i, " ", esc)
		if !ok {
			return i
		}
		i = next
	}
}

// parseAttribution parses the attribution line at s[i] (a raw JSON string
// body when esc, a decoded string otherwise). It returns the email and the
// index after the blank line.
func parseAttribution(s string, i int, esc bool) (email string, next int, ok bool) {
	i, ok = matchDecoded(s, i, attributionHead, esc)
	if !ok {
		return "", 0, false
	}
	var buf [maxEmailLen]byte
	n, start := 0, i
	for {
		c, size, after := decodeAt(s, i, esc)
		if size != 1 || c[0] == ' ' || n == len(buf) {
			break
		}
		buf[n], n, i = c[0], n+1, after
	}
	if strings.IndexByte(s[start:i], '\\') < 0 {
		email = s[start:i] // no escapes: the raw bytes are the decoded ones
	} else {
		email = string(buf[:n])
	}
	if !validEmail(email) {
		return "", 0, false
	}
	if i, ok = matchDecoded(s, i, attributionTail, esc); !ok {
		return "", 0, false
	}
	return email, i, true
}

// validEmail is the strict address syntax the filter accepts as an author:
// lower-case ASCII local@domain, local part of letters, digits and ._%+-
// with no leading, trailing or doubled dot, a domain of at least two
// dot-separated labels of letters, digits and inner hyphens.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || at > 64 || len(s) > maxEmailLen {
		return false
	}
	return validLocal(s[:at]) && validDomain(s[at+1:])
}

func validLocal(s string) bool {
	if s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLowerAlnum(c) && !strings.ContainsRune("._%+-", rune(c)) {
			return false
		}
	}
	return true
}

func validDomain(s string) bool {
	if len(s) > 253 || strings.IndexByte(s, '.') < 0 {
		return false
	}
	for {
		label, rest, more := strings.Cut(s, ".")
		if !validLabel(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if !isLowerAlnum(l[i]) && l[i] != '-' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
