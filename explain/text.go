package explain

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/policy"
)

// maxSeen bounds the "as seen" column of the text report, in characters.
const maxSeen = 64

// WriteText writes the report as tables for people.
func (r *Report) WriteText(w io.Writer) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	r.writeHeader(tw)
	if len(r.Case.Fields) > 0 {
		fmt.Fprintln(tw, "\nCase fields\n  FIELD\tSHOWN\tWHY\tAS SEEN")
		for _, e := range r.Case.Fields {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", e.Name, yesNo(e.Shown), e.Why, clip(string(e.Seen)))
		}
	}
	writeEntries(tw, "Tags", "TAG", r.Case.Tags)
	writeEntries(tw, "Custom fields", "NAME", r.Case.CustomFields)
	writeItems(tw, "Comments", r.Comments, commentSeen)
	writeItems(tw, "Attachments", r.Attachments, attachmentSeen)
	writeItems(tw, "Observables", r.Observables, observableSeen)
	if err := tw.Flush(); err != nil {
		return err
	}
	// Empty last cells leave padding behind: trim it.
	lines := strings.SplitAfter(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \n") + l[len(strings.TrimRight(l, "\n")):]
	}
	_, err := io.WriteString(w, strings.Join(lines, ""))
	return err
}

func (r *Report) writeHeader(w io.Writer) {
	v, c := r.Viewer, r.Case
	fmt.Fprintf(w, "Preview of case #%d (%s) for %s\n", c.Number, c.ID, v.Email)
	groups := strings.Join(v.Groups, ", ")
	if groups == "" {
		groups = "(none)"
	}
	fmt.Fprintf(w, "Groups:\t%s\n", groups)
	switch {
	case v.Profile == "":
		fmt.Fprintf(w, "Profile:\tnone (%s): this user cannot sign in\n", v.ProfileWhy)
	case len(v.Writes) == 0:
		fmt.Fprintf(w, "Profile:\t%s (%s): read only\n", v.Profile, v.ProfileWhy)
	default:
		fmt.Fprintf(w, "Profile:\t%s (%s): may add %s\n", v.Profile, v.ProfileWhy, strings.Join(v.Writes, ", "))
	}
	if c.Shown {
		fmt.Fprintf(w, "Case:\tSHOWN, shared by rule %s\n", c.Rule)
		return
	}
	why := c.Reason
	if c.Reason == string(policy.ReasonNotShared) {
		why = "no rule of share.case matched"
	}
	fmt.Fprintf(w, "Case:\tHIDDEN (%s): the user sees nothing of this case, the same 404 as a missing case\n", why)
}

func writeEntries(w io.Writer, title, col string, entries []Entry) {
	if len(entries) == 0 {
		fmt.Fprintf(w, "\n%s: none\n", title)
		return
	}
	fmt.Fprintf(w, "\n%s\n  %s\tSHOWN\tWHY\n", title, col)
	for _, e := range entries {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", e.Name, yesNo(e.Shown), e.Why)
	}
}

func writeItems(w io.Writer, title string, items []Item, seen func(gjson.Result) string) {
	fmt.Fprintf(w, "\n%s: %d of %d shown\n", title, ShownCount(items), len(items))
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, "  ID\tSHOWN\tAUTHOR IN THEHIVE\tCREATED\tWHY\tAS SEEN")
	for _, it := range items {
		as := ""
		if it.Shown {
			as = clip(seen(gjson.ParseBytes(it.Seen)))
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\n", it.ID, yesNo(it.Shown), it.Author, when(it.CreatedAt), it.Why, as)
	}
}

func commentSeen(c gjson.Result) string {
	return c.Get("createdBy").String() + ": " + c.Get("message").String()
}

func attachmentSeen(a gjson.Result) string {
	return fmt.Sprintf("%s (%s, %d bytes)", a.Get("name").String(), a.Get("contentType").String(), a.Get("size").Int())
}

func observableSeen(o gjson.Result) string {
	s := o.Get("dataType").String()
	if d := o.Get("data"); d.Exists() {
		s += " " + d.String()
	}
	return s + " (by " + o.Get("createdBy").String() + ")"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// when formats milliseconds since the epoch in UTC.
func when(ms int64) string {
	if ms <= 0 {
		return "-"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04")
}

// clip puts s on one line of at most maxSeen characters.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxSeen {
		return s
	}
	r := []rune(s)
	return string(r[:maxSeen-1]) + "…"
}
