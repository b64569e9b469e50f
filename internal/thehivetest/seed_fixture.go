package thehivetest

// fixtureCases seeds cases #42 and #41 exactly as in thehive-fixtures, plus a
// canary task and log in #42 and a canary comment in #41 (no fixture lists them).
func (sd *seeder) fixtureCases() {
	sd.case42()
	sd.case41()
}

func (sd *seeder) case42() {
	c := Case{
		ID: Case42ID, Number: Case42Number, CreatedBy: AnalystLogin, CreatedAt: 1717430400000,
		UpdatedBy: LeadLogin, UpdatedAt: 1717437600000,
		Title:       "Phishing wave targeting finance team",
		Description: "Synthetic case used for proxy tests. Several users received a credential-harvesting email.",
		Severity:    2, StartDate: 1717426800000, Tags: []string{"phishing", "share:external"},
		TLP: 2, PAP: 2, Status: "InProgress", Assignee: AnalystLogin, InProgressDate: 1717434000000,
		Access: &Access{Kind: AccessExternal, Users: []string{JaneEmail}},
		CustomFields: []CustomField{
			{ID: "~8200", Name: "business-unit", Type: "string", Value: "Finance", Order: 0},
			{ID: "~8201", Name: "affected-users", Type: "integer", Value: 12, Order: 1},
		},
	}
	b := sd.newCase(c, 41560, 1717434000000, SeededCase{ID: Case42ID, Number: Case42Number,
		Rule: RuleNativeUsers, VisibleTo: []string{JaneEmail}})
	sd.case42Comments(b)
	sd.case42Attachments(b)
	sd.case42Observables(b)
	b.taskWithLog()
}

func (sd *seeder) case42Comments(b *caseSeed) {
	st := sd.st
	st.createComment(sd.at(AnalystLogin, 1717434100000), b.c, nil, Comment{ID: Comment42External, External: true,
		Message: "We blocked the sender domain at the mail gateway. Please confirm whether anyone entered credentials."})
	internal := "Internal: detection rule PH-17 fired late, tune the threshold before sharing anything."
	rec := st.createComment(sd.at(LeadLogin, 1717435200000), b.c, nil, Comment{ID: Comment42Internal, Message: internal})
	rec.IsEdited, rec.UpdatedBy, rec.UpdatedAt = true, LeadLogin, 1717435500000
	sd.sentinel("comment", Comment42Internal, "message", internal)
	st.createComment(sd.at(JaneEmail, 1717437000000), b.c, nil, Comment{ID: Comment42ByJane, External: true,
		Message: "Two people in accounts payable clicked the link; passwords already changed."})
	b.info.VisibleComments = []string{Comment42External, Comment42ByJane}
	b.info.HiddenComments = []string{Comment42Internal}
}

func (sd *seeder) case42Attachments(b *caseSeed) {
	pdf := blob{id: Attachment42External, name: "incident-summary.pdf", contentType: "application/pdf", size: 20480,
		sha256: "56f4aebb40ef30e080563c217071fe92488d1d0726ebb171ad0dee3779eed8f1",
		sha1:   "2878b6568e251b2874df1af321715b3e70b1a6fb", md5: "f2b40573b30b5f59416cffd524181317"}
	sd.st.addCaseAttachment(sd.at(AnalystLogin, 1717435000000), b.c, pdf, true)
	txt := blob{id: Attachment42Internal, name: "mail-headers.txt", contentType: "text/plain", size: 3120,
		sha256: "eebcf35392066852e1e8a38c43423975bfdbc39669c3b0789bfd893fbdf10bbf",
		sha1:   "2584d375b8fea8d5877c7611870847b552722beb", md5: "bd507f5afc86227c32a6757458911084"}
	rec := sd.st.addCaseAttachment(sd.at(LeadLogin, 1717435600000), b.c, txt, false)
	rec.UpdatedBy, rec.UpdatedAt = LeadLogin, 1717435700000
	sd.sentinel("attachment", Attachment42Internal, "name", txt.name)
	b.info.VisibleAttachments = []string{Attachment42External}
	b.info.HiddenAttachments = []string{Attachment42Internal}
}

func (sd *seeder) case42Observables(b *caseSeed) {
	ioc := Observable{ID: Observable42Analyst, DataType: "domain", Data: "login-portal.example.net",
		StartDate: 1717434300000, TLP: 2, PAP: 2, Tags: []string{"phishing-domain"}, IOC: true, Sighted: true,
		SightedAt: 1717430000000, Message: "Sender domain of the phishing email",
		Reports: map[string]any{"SyntheticAnalyzer_1_0": map[string]any{"taxonomies": []any{
			map[string]any{"level": "malicious", "namespace": "SYN", "predicate": "Reputation", "value": "bad"}}}},
	}
	sd.st.createObservable(sd.at(AnalystLogin, 1717434300000), b.c, ioc, nil)
	sd.sentinel("observable", Observable42Analyst, "data", ioc.Data)
	sd.sentinel("observable", Observable42Analyst, "message", ioc.Message)
	file := blob{id: Attachment42File, name: "sample.bin", contentType: "application/octet-stream", size: 29,
		sha256: "67fc48109351a45ae308ada3de4853bf2349cdb35507cf27fa7bf8264bfa30ad",
		sha1:   "69b4e0209326d95254de5aede6fb29c7fcecdf88", md5: "0c183c16250dfab54064bdae2c1be5c8"}
	byJane := Observable{ID: Observable42ByJane, DataType: "file", StartDate: 1717438200000, TLP: 2, PAP: 2,
		Message: "Attachment received by accounts payable", External: true}
	sd.st.createObservable(sd.at(JaneEmail, 1717438200000), b.c, byJane, &file)
	b.info.VisibleObservables = []string{Observable42ByJane}
	b.info.HiddenObservables = []string{Observable42Analyst}
}

func (sd *seeder) case41() {
	c := Case{
		ID: Case41ID, Number: Case41Number, CreatedBy: LeadLogin, CreatedAt: 1717340000000,
		Title: "Suspicious VPN logins from unusual country", Description: "Synthetic internal-only case.",
		Severity: 3, StartDate: 1717339000000, Tags: []string{"vpn", "internal-only"}, Flag: true,
		TLP: 2, PAP: 1, Status: "TruePositive", Summary: "Account reset, MFA enforced.", ImpactStatus: "NoImpact",
		Assignee: LeadLogin, Access: &Access{Kind: AccessOrganisation}, CustomFields: []CustomField{},
		InProgressDate: 1717341000000, ClosedDate: 1717400000000,
	}
	b := sd.newCase(c, 41080, 1717341000000, SeededCase{ID: Case41ID, Number: Case41Number})
	sd.sentinel("case", Case41ID, "title", c.Title)
	sd.sentinel("case", Case41ID, "description", c.Description)
	sd.sentinel("case", Case41ID, "summary", c.Summary)
	b.comment(10, AnalystLogin, sd.canary("comment", b.id(10), "message")+" (external flag, unshared case)", true, false)
}
