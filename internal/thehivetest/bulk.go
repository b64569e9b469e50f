package thehivetest

import (
	"fmt"
	"strings"
)

// BulkEmail is the external user bulk cases are shared with by default.
const BulkEmail = "bench@client.example.com"

// Bulk describes generated benchmark data.
type Bulk struct {
	// Cases is the number of ordinary cases.
	Cases int
	// CommentsPerCase comments are added to each ordinary case.
	CommentsPerCase int
	// BigCaseComments, if > 0, adds one more case with that many comments.
	BigCaseComments int
	// SharedWith is the external email every bulk case is shared with, natively
	// (ExternalAccessKind) and by a portal:user= tag. Default BulkEmail.
	SharedWith string
}

// BulkResult lists what SeedBulk created.
type BulkResult struct {
	CaseIDs   []string
	BigCaseID string
}

// bulkFiller pads bulk comments to about 1 KB.
var bulkFiller = strings.Repeat("The analyst reviewed mail gateway logs, proxy logs and EDR telemetry for this host. ", 12)

// SeedBulk generates benchmark data: cases shared with b.SharedWith, each with
// comments of about 1 KB, alternately external and internal (internal ones start
// with a CANARY- string). Bulk data creates no audits and no webhooks.
func SeedBulk(s *Sim, b Bulk) BulkResult {
	if b.SharedWith == "" {
		b.SharedWith = BulkEmail
	}
	s.st.lock()
	defer s.st.mu.Unlock()
	var res BulkResult
	for i := range b.Cases {
		res.CaseIDs = append(res.CaseIDs, s.st.bulkCase(b.SharedWith, fmt.Sprintf("Bulk case %d", i+1), b.CommentsPerCase))
	}
	if b.BigCaseComments > 0 {
		res.BigCaseID = s.st.bulkCase(b.SharedWith, "Bulk case with many comments", b.BigCaseComments)
	}
	return res
}

// bulkCase creates one case with n comments; the caller holds mu.
func (st *store) bulkCase(email, title string, n int) string {
	t := &txn{actor: AnalystLogin, at: st.now().UnixMilli(), silent: true, noAudit: true}
	c := st.createCase(t, Case{
		Title: title, Description: "Generated benchmark case.", Severity: 2, TLP: 2, PAP: 2, Status: "InProgress",
		Tags: []string{"bulk", "portal:user=" + email}, Access: &Access{Kind: AccessExternal, Users: []string{email}},
	}, nil)
	for i := range n {
		id := st.newID()
		external := i%2 == 0
		msg := fmt.Sprintf("Comment %d of %s. %s", i+1, c.ID, bulkFiller)
		if !external {
			msg = CanaryPrefix + "comment-" + id + "-message " + msg
		}
		st.createComment(t, c, nil, Comment{ID: id, Message: msg, External: external})
	}
	return c.ID
}
