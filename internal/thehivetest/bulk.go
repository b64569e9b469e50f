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

// SeedBulk generates benchmark data: cases shared with b.SharedWith, with
// realistic content (see bulkCaseInput; the fields external users never
// see hold CANARY- strings), each with comments of about 1 KB, alternately
// external and internal (internal ones start with a CANARY- string). Bulk
// data creates no audits and no webhooks.
func SeedBulk(s *Sim, b Bulk) BulkResult {
	if b.SharedWith == "" {
		b.SharedWith = BulkEmail
	}
	s.st.lock()
	defer s.st.mu.Unlock()
	var res BulkResult
	for i := range b.Cases {
		in := bulkCaseInput(i, b.SharedWith, fmt.Sprintf("Bulk case %d", i+1))
		res.CaseIDs = append(res.CaseIDs, s.st.bulkCase(in, b.CommentsPerCase))
	}
	if b.BigCaseComments > 0 {
		in := bulkCaseInput(b.Cases, b.SharedWith, "Bulk case with many comments")
		res.BigCaseID = s.st.bulkCase(in, b.BigCaseComments)
	}
	return res
}

// bulkCase creates the case in with n comments; the caller holds mu.
func (st *store) bulkCase(in Case, n int) string {
	t := &txn{actor: AnalystLogin, at: st.now().UnixMilli(), silent: true, noAudit: true}
	c := st.createCase(t, in, nil)
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
