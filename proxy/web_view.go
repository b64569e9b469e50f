package proxy

import (
	"sort"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

// The views of the web pages are built from the JSON that the filter cut
// for the viewer: only what the API would show can reach a page.

var severityLabels = map[int]string{1: "Low", 2: "Medium", 3: "High", 4: "Critical"}

func severityLabel(n int) string {
	if l, ok := severityLabels[n]; ok {
		return l
	}
	return "Not set"
}

func severityLevel(n int) int {
	if _, ok := severityLabels[n]; ok {
		return n
	}
	return 0
}

var statusLabels = map[string]string{
	"New": "New", "InProgress": "In progress", "TruePositive": "Closed: true positive",
	"FalsePositive": "Closed: false positive", "Indeterminate": "Closed: indeterminate",
	"Other": "Closed: other", "Duplicated": "Closed: duplicate",
}

func statusLabel(s string) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s
}

// millis reads a TheHive date (milliseconds since the epoch); the zero
// time when absent.
func millis(r gjson.Result) time.Time {
	if r.Type != gjson.Number || r.Int() <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(r.Int()).UTC()
}

// caseURL is the page of a cut case: by _id, else by number.
func caseURL(it gjson.Result) string {
	if id := it.Get("_id").Str; objectID.MatchString(id) {
		return "/cases/" + id
	}
	return "/cases/" + it.Get("number").String()
}

// sharedNotice says what of a case the portal shows external users.
var sharedNotice = []string{
	"The case details on this page.",
	"Comments the security team marked as shared, and the comments added through this portal.",
	"Files the security team marked as shared, and the files uploaded through this portal.",
	"Observables added through this portal, and those marked as shared.",
	"Nothing else: internal comments, tasks and the security team's own findings stay internal.",
}

// caseDetails fills the case part of the page from the cut case.
func caseDetails(v *ui.Case, kase gjson.Result) {
	sev := int(kase.Get("severity").Int())
	v.Number, v.Title = kase.Get("number").String(), kase.Get("title").String()
	v.Description = kase.Get("description").String()
	v.Severity, v.SeverityLevel = severityLabel(sev), severityLevel(sev)
	v.Status = statusLabel(kase.Get("status").String())
	v.Shared = sharedNotice
	kase.Get("tags").ForEach(func(_, t gjson.Result) bool {
		v.Tags = append(v.Tags, t.String())
		return true
	})
	cfs := kase.Get("customFields").Array()
	sort.SliceStable(cfs, func(i, j int) bool { return cfs[i].Get("order").Int() < cfs[j].Get("order").Int() })
	for _, cf := range cfs {
		v.Fields = append(v.Fields, ui.Field{Name: cf.Get("name").String(), Value: cf.Get("value").String()})
	}
	v.Timeline = timeline(kase)
}

// timeline lists the dates of a case, oldest first.
func timeline(kase gjson.Result) []ui.Event {
	var out []ui.Event
	add := func(label, field string) {
		if t := millis(kase.Get(field)); !t.IsZero() {
			out = append(out, ui.Event{Label: label, At: t})
		}
	}
	add("Case opened", "_createdAt")
	add("Started", "startDate")
	add("Last updated", "_updatedAt")
	if strings.EqualFold(kase.Get("stage").String(), "Closed") || kase.Get("endDate").Exists() {
		add(statusLabel(kase.Get("status").String()), "endDate")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func comments(list []byte) []ui.Comment {
	var out []ui.Comment
	gjson.ParseBytes(list).ForEach(func(_, it gjson.Result) bool {
		at := millis(it.Get("createdAt"))
		if at.IsZero() {
			at = millis(it.Get("_createdAt"))
		}
		out = append(out, ui.Comment{ID: it.Get("_id").String(), Author: it.Get("createdBy").String(),
			Message: it.Get("message").String(), At: at, Edited: it.Get("isEdited").Bool()})
		return true
	})
	return out
}

func attachments(list []byte, caseID string) []ui.Attachment {
	var out []ui.Attachment
	gjson.ParseBytes(list).ForEach(func(_, it gjson.Result) bool {
		id := it.Get("_id").String()
		a := ui.Attachment{ID: id, Name: it.Get("name").String(), ContentType: it.Get("contentType").String(),
			Size: it.Get("size").Int(), At: millis(it.Get("_createdAt"))}
		if objectID.MatchString(id) {
			a.URL = "/cases/" + caseID + "/attachments/" + id
		}
		out = append(out, a)
		return true
	})
	return out
}

func observables(list []byte) []ui.Observable {
	var out []ui.Observable
	gjson.ParseBytes(list).ForEach(func(_, it gjson.Result) bool {
		out = append(out, ui.Observable{ID: it.Get("_id").String(), Type: it.Get("dataType").String(),
			Data: it.Get("data").String(), Message: it.Get("message").String(),
			Author: it.Get("createdBy").String(), At: millis(it.Get("_createdAt"))})
		return true
	})
	return out
}
