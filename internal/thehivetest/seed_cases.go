package thehivetest

import (
	"fmt"
	"strings"
)

// shareSpec describes one seeded case of the share-rule set.
type shareSpec struct {
	base        int64 // graph id of the case; items use base+offset
	number      int
	rule        string
	title       string
	tags        []string
	access      Access
	createdBy   string
	contributor string // external user whose observable carries portal:by=
	visibleTo   []string
}

func shareSpecs() []shareSpec {
	org := Access{Kind: AccessOrganisation}
	all := allPersonaEmails()
	return []shareSpec{
		{42001, 43, RuleTagUser, "Credential stuffing against client VPN", []string{"portal:user=" + AliceEmail},
			org, AnalystLogin, AliceEmail, []string{AliceEmail}},
		{42101, 44, RuleTagGroup, "Leaked HR spreadsheet", []string{"portal:group=" + HRGroup},
			org, AnalystLogin, HarrietEmail, []string{HarrietEmail}},
		{42201, 45, RuleTagDomain, "Malware on client laptops", []string{"portal:domain=" + ClientDomain},
			org, AnalystLogin, BobEmail, []string{AliceEmail, BobEmail, CarolEmail}},
		{42301, 46, RuleNativeAll, "Vendor-wide phishing advisory", nil,
			Access{Kind: AccessAllExternal}, LeadLogin, BobEmail, all},
		{42401, 47, RuleNativeStar, "Public status page defacement", nil,
			Access{Kind: AccessExternal, Users: []string{"*"}}, LeadLogin, JaneEmail, all},
		{42501, 48, RuleTagCreatedBy, "Suspicious invoice reported by client",
			[]string{"portal:created-by=" + CarolEmail, "portal:user=" + CarolEmail},
			org, ServiceLogin, CarolEmail, []string{CarolEmail}},
		{42601, 49, RuleTagUser, "Rival client ransomware note", []string{"portal:user=" + MalloryEmail},
			org, AnalystLogin, MalloryEmail, []string{MalloryEmail}},
	}
}

// unsharedSpecs are cases no external user may see; every text is a canary.
func unsharedSpecs() []shareSpec {
	return []shareSpec{
		{base: 42701, number: 50, access: Access{Kind: AccessOrganisation}, createdBy: AnalystLogin},
		{base: 42801, number: 51, access: Access{Kind: AccessUser, Users: []string{AnalystLogin}}, createdBy: LeadLogin},
		{base: 42901, number: 52, access: Access{Kind: AccessOrganisation}, createdBy: AnalystLogin, tags: []string{
			"portal:user=" + AliceEmail + ".rival.example.net", "portal:domain=example.com",
			"portal:group=" + HRGroup + "-old", "xportal:user=" + AliceEmail,
		}},
	}
}

func caseTime(number int) int64 { return 1717500000000 + int64(number-43)*86400000 }

// sharedCase seeds a shared case: visible title/description (with the marker),
// canaries in every field outside the external allow-list, and a mix of items.
func (sd *seeder) sharedCase(sp shareSpec) {
	id, t0 := gid(sp.base), caseTime(sp.number)
	marker := fmt.Sprintf("SHARE-%d", sp.number)
	tags := append([]string{}, sp.tags...)
	tags = append(tags, "internal-"+sd.canary("case", id, "tags"), "portal:attachment="+gid(sp.base+21))
	c := Case{
		ID: id, Number: sp.number, CreatedBy: sp.createdBy, CreatedAt: t0, StartDate: t0 - 3600000,
		Title: sp.title + " (" + marker + ")", Description: "Shared case for tests (" + marker + ").",
		Severity: 2, TLP: 2, PAP: 2, Status: "InProgress", InProgressDate: t0 + 600000, Assignee: AnalystLogin,
		Summary: sd.canary("case", id, "summary"), Tags: tags, Access: &sp.access,
		CustomFields: []CustomField{{Name: "business-unit", Type: "string", Value: sd.canary("case", id, "customFields")}},
	}
	b := sd.newCase(c, sp.base, t0, SeededCase{ID: id, Number: sp.number, Rule: sp.rule, VisibleTo: sp.visibleTo, Marker: marker})
	sd.sharedItems(b, marker, sp.contributor)
	b.taskWithLog()
}

func (sd *seeder) sharedItems(b *caseSeed, marker, contributor string) {
	b.comment(10, AnalystLogin, "Containment is done on our side ("+marker+").", true, true)
	b.comment(11, LeadLogin, "[external] Please confirm the affected accounts ("+marker+").", false, true)
	b.comment(12, LeadLogin, sd.canary("comment", b.id(12), "message")+" internal triage notes", false, false)
	b.comment(13, AnalystLogin, "Tag this [external] only after review "+sd.canary("comment", b.id(13), "message"), false, false)
	b.attachment(20, "containment-report-"+marker+".txt", "text/plain", "Containment report "+marker+"\n", true, true)
	b.attachment(21, "ioc-list-"+marker+".csv", "text/csv", "indicator,type\nphish-"+strings.ToLower(marker)+".example.net,domain\n", false, true)
	canaryName := sd.canary("attachment", b.id(22), "name")
	b.attachment(22, canaryName+".txt", "text/plain", sd.canary("attachment", b.id(22), "content")+"\n", false, false)
	b.observable(30, ServiceLogin, Observable{DataType: "domain", Data: "client-report-" + strings.ToLower(marker) + ".example.com",
		Message: "Reported by the client (" + marker + ")", TLP: 2, PAP: 2, External: true}, nil, true)
	b.observable(31, ServiceLogin, Observable{DataType: "url", Data: "https://login.phish-" + strings.ToLower(marker) + ".example.net/",
		Message: "Submitted through the portal (" + marker + ")", TLP: 2, PAP: 2, Tags: []string{"portal:by=" + contributor}}, nil, true)
	sd.analystObservables(b)
}

// analystObservables adds an internal IOC (+32) and an internal file observable (+33, file +60).
func (sd *seeder) analystObservables(b *caseSeed) {
	b.observable(32, AnalystLogin, Observable{DataType: "other", Data: sd.canary("observable", b.id(32), "data"),
		Message: sd.canary("observable", b.id(32), "message"), TLP: 2, PAP: 2, IOC: true}, nil, false)
	file := newBlob(sd.canary("attachment", b.id(60), "name")+".bin", "application/octet-stream",
		[]byte(sd.canary("attachment", b.id(60), "content")))
	file.id = b.id(60)
	b.observable(33, AnalystLogin, Observable{DataType: "file", Message: sd.canary("observable", b.id(33), "message"),
		TLP: 2, PAP: 2}, &file, false)
}

// unsharedCase seeds a case that must stay invisible: even its natively external
// items carry canaries.
func (sd *seeder) unsharedCase(sp shareSpec) {
	id, t0 := gid(sp.base), caseTime(sp.number)
	cv := func(field string) string { return sd.canary("case", id, field) }
	c := Case{
		ID: id, Number: sp.number, CreatedBy: sp.createdBy, CreatedAt: t0, StartDate: t0 - 3600000,
		Title: cv("title"), Description: cv("description"), Summary: cv("summary"),
		Severity: 3, TLP: 3, PAP: 2, Status: "New", Assignee: sp.createdBy, Access: &sp.access,
		Tags:         append(append([]string{}, sp.tags...), "internal-"+cv("tags"), "portal:attachment="+gid(sp.base+20)),
		CustomFields: []CustomField{{Name: "business-unit", Type: "string", Value: cv("customFields")}},
	}
	b := sd.newCase(c, sp.base, t0, SeededCase{ID: id, Number: sp.number})
	msg := func(off int64) string { return sd.canary("comment", b.id(off), "message") }
	b.comment(10, AnalystLogin, msg(10)+" (external flag, unshared case)", true, false)
	b.comment(11, LeadLogin, "[external] "+msg(11), false, false)
	b.comment(12, LeadLogin, msg(12), false, false)
	for _, off := range []int64{20, 21} {
		ext := off == 20
		b.attachment(off, sd.canary("attachment", b.id(off), "name")+".txt", "text/plain",
			sd.canary("attachment", b.id(off), "content"), ext, false)
	}
	ob := func(off int64, o Observable) {
		o.Data, o.Message, o.TLP, o.PAP = sd.canary("observable", b.id(off), "data"), sd.canary("observable", b.id(off), "message"), 2, 2
		b.observable(off, ServiceLogin, o, nil, false)
	}
	ob(30, Observable{DataType: "other", External: true})
	ob(31, Observable{DataType: "other", Tags: []string{"portal:by=" + AliceEmail}})
	ob(32, Observable{DataType: "other", IOC: true})
	b.taskWithLog()
}
