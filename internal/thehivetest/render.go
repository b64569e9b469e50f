package thehivetest

import "slices"

var (
	severityLabels = []string{"", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
	tlpLabels      = []string{"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"}
	papLabels      = []string{"CLEAR", "GREEN", "AMBER", "RED"}
)

func label(labels []string, i int) string {
	if i < 0 || i >= len(labels) {
		return "UNKNOWN"
	}
	return labels[i]
}

// caseStatuses maps each built-in case status to its stage.
var caseStatuses = map[string]string{
	"New": "New", "InProgress": "InProgress", "Indeterminate": "Closed", "FalsePositive": "Closed",
	"TruePositive": "Closed", "Other": "Closed", "Duplicated": "Closed",
}

// render returns the OutputCase as seen by a caller with perms.
func (r *caseRec) render(perms []string) Case {
	c := r.Case
	c.Type = "Case"
	c.SeverityLabel = label(severityLabels, c.Severity)
	c.TLPLabel = label(tlpLabels, c.TLP)
	c.PAPLabel = label(papLabels, c.PAP)
	c.Stage = caseStatuses[c.Status]
	if c.CustomFields == nil {
		c.CustomFields = []CustomField{}
	}
	c.UserPermissions = nonNil(slices.Clone(perms))
	c.ExtraData = map[string]any{}
	c.TimeToDetect = max(0, c.NewDate-c.StartDate)
	c.TimeToTriage, c.TimeToAcknowledge, c.TimeToResolve, c.HandlingDuration = 0, 0, 0, 0
	if c.InProgressDate > 0 {
		c.TimeToTriage = c.InProgressDate - c.NewDate
		c.TimeToAcknowledge = c.TimeToTriage
	}
	if c.ClosedDate > 0 {
		c.TimeToResolve = c.ClosedDate - c.NewDate
		if c.InProgressDate > 0 {
			c.HandlingDuration = c.ClosedDate - c.InProgressDate
		}
	}
	return c
}

// auditCase is the case shape inside audits and webhooks: no access, no
// permissions, plus a flattened customFieldValues map.
type auditCase struct {
	Case
	CustomFieldValues map[string]any `json:"customFieldValues"`
}

func (r *caseRec) renderAudit() auditCase {
	c := r.render(nil)
	c.Access = nil
	vals := map[string]any{}
	for _, cf := range c.CustomFields {
		vals[cf.Name] = cf.Value
	}
	return auditCase{Case: c, CustomFieldValues: vals}
}

func (r *commentRec) render() Comment {
	c := r.Comment
	c.Type = "Comment"
	c.ExtraData = map[string]any{}
	return c
}

func (r *attachmentRec) render() Attachment {
	a := r.Attachment
	a.Type = "Attachment"
	a.ExtraData = map[string]any{}
	return a
}

func (st *store) renderObservable(r *observableRec) Observable {
	o := r.Observable
	o.Type = "Observable"
	o.TLPLabel = label(tlpLabels, o.TLP)
	o.PAPLabel = label(papLabels, o.PAP)
	o.ExtraData = map[string]any{}
	if o.Reports == nil {
		o.Reports = map[string]any{}
	}
	o.Attachment = nil
	if a := st.attachments[r.attachmentID]; a != nil {
		att := a.render()
		o.Attachment = &att
	}
	return o
}

func (r *taskRec) render() Task {
	t := r.Task
	t.Type = "Task"
	t.ExtraData = map[string]any{}
	return t
}

func (st *store) renderLog(r *logRec) Log {
	l := r.Log
	l.Type = "Log"
	l.ExtraData = map[string]any{}
	l.Attachments = []Attachment{}
	for _, id := range r.attachments {
		if a := st.attachments[id]; a != nil {
			l.Attachments = append(l.Attachments, a.render())
		}
	}
	return l
}

func (r *alertRec) render() Alert {
	a := r.Alert
	a.Type = "Alert"
	a.SeverityLabel = label(severityLabels, a.Severity)
	a.TLPLabel = label(tlpLabels, a.TLP)
	a.PAPLabel = label(papLabels, a.PAP)
	if a.CustomFields == nil {
		a.CustomFields = []CustomField{}
	}
	a.ExtraData = map[string]any{}
	a.TimeToDetect = max(0, a.NewDate-a.Date)
	return a
}

// auditComment is the Comment object inside audits, as in TheHive 5 webhook samples.
type auditComment struct {
	Alert   any    `json:"alert"`
	Case    any    `json:"case"`
	Message string `json:"message"`
}

// auditAttachment is the Attachment object inside audits: the attachment plus its case.
type auditAttachment struct {
	Attachment
	Case any `json:"case"`
}
