package thehivetest

import (
	"fmt"
	"strings"
)

// bulkTopics vary the content of bulk cases the way a SOC's cases vary.
var bulkTopics = []struct{ kind, title, lead string }{
	{"phishing", "Credential phishing reported by a user",
		"A user reported an email that imitates the corporate sign-in page. The link leads to a look-alike domain registered two days ago; the mail gateway delivered 14 copies before the sender was blocked."},
	{"malware", "EDR alert: suspicious PowerShell on a laptop",
		"The EDR agent flagged an encoded PowerShell command started by a macro-enabled document. The host was isolated within minutes; the payload tried to reach a known command-and-control address."},
	{"account-compromise", "Impossible travel on a privileged account",
		"Two interactive sign-ins to the same administrator account came from countries 6,000 km apart within 20 minutes. MFA was satisfied by push approval on the second sign-in."},
	{"data-exfiltration", "Large upload to an unsanctioned file-sharing service",
		"The proxy logged 4.2 GB uploaded to a consumer file-sharing service from a finance workstation outside business hours. The destination is not on the approved list."},
}

// bulkTimeline is one step of a case timeline; cases hold one to four.
var bulkTimeline = []string{
	"- **08:12 UTC**: alert raised and triaged by the on-call analyst; severity confirmed.\n",
	"- **08:31 UTC**: affected host isolated, user contacted by phone, credentials reset.\n",
	"- **09:05 UTC**: indicators extracted and blocked on the proxy, the mail gateway and the EDR.\n",
	"- **10:40 UTC**: scope reviewed: no other host contacted the infrastructure in the last 30 days.\n",
}

// bulkCaseInput is the content of the i-th bulk case shared with email: a
// Markdown description of 450 to 750 bytes, classification tags and the
// fields analysts fill but external users never see (summary, assignee,
// custom fields), which hold canaries.
func bulkCaseInput(i int, email, title string) Case {
	topic := bulkTopics[i%len(bulkTopics)]
	var d strings.Builder
	fmt.Fprintf(&d, "## %s\n\n%s\n\n### Timeline\n\n", topic.title, topic.lead)
	for k := range 1 + i%len(bulkTimeline) {
		d.WriteString(bulkTimeline[k])
	}
	d.WriteString("\n### Next steps\n\nWe will share the final report here once the investigation is closed. Reply in the comments with any question.\n")
	marker := fmt.Sprintf("%sbulk-case-%d", CanaryPrefix, i)
	return Case{
		Title: title, Description: d.String(), Severity: 1 + i%4, TLP: 2, PAP: 2, Status: "InProgress",
		Tags:     []string{"bulk", "portal:user=" + email, topic.kind, "region:emea", "source:siem"},
		Access:   &Access{Kind: AccessExternal, Users: []string{email}},
		Summary:  marker + "-summary Root cause and internal notes for the SOC only.",
		Assignee: "analyst@soc.example.org",
		CustomFields: []CustomField{
			{Name: "business-unit", Type: "string", Value: "Finance", Order: 0},
			{Name: "internal-ticket", Type: "string", Value: marker + "-ticket INC-" + fmt.Sprint(40000+i), Order: 1},
		},
	}
}
