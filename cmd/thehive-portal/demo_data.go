package main

import (
	"strings"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/internal/devidp"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// The demo's client organisation and its SSO groups.
const (
	demoDomain      = "northwind.example.com"
	demoITGroup     = "northwind-it"
	demoReaders     = "portal-readers"
	demoContributor = "portal-contributors"
	demoReporters   = "portal-reporters"
)

// The sample users: one per profile at the client, and one user of another
// client (who sees the fixture case #42 only).
var (
	demoPaul  = devidp.User{Email: "paul.martin@" + demoDomain, Name: "Paul Martin", Groups: []string{demoReaders}, About: "reader at Northwind Traders"}
	demoSofia = devidp.User{Email: "sofia.costa@" + demoDomain, Name: "Sofia Costa", Groups: []string{demoContributor, demoITGroup}, About: "contributor, Northwind Traders IT"}
	demoLiam  = devidp.User{Email: "liam.chen@" + demoDomain, Name: "Liam Chen", Groups: []string{demoReporters, demoITGroup}, About: "reporter, Northwind Traders IT"}
	demoJane  = devidp.User{Email: thehivetest.JaneEmail, Name: "Jane Doe", Groups: []string{demoContributor}, About: "contributor at Partner Corp, another client"}
)

func demoUsers() []devidp.User { return []devidp.User{demoPaul, demoSofia, demoLiam, demoJane} }

// demoProfiles maps the demo groups to the three profiles; users of no
// group are refused.
func demoProfiles() config.Profiles {
	d := config.DefaultProfiles()
	for name, group := range map[string]string{config.ProfileReader: demoReaders,
		config.ProfileContributor: demoContributor, config.ProfileReporter: demoReporters} {
		p := d[name]
		p.Groups = []string{group}
		d[name] = p
	}
	return config.Profiles{Default: config.ProfileNone, Definitions: d}
}

// demoCase is one sample case: what analysts wrote, what the client wrote
// through the portal, and how each part is marked.
type demoCase struct {
	title, description string
	sharing            string // who sees it, for the banner
	severity           int
	tags               []string
	access             *thehivetest.Access
	comments           []demoComment
	attachments        []demoAttachment
	observables        []demoObservable
}

// demoComment is written by an analyst (by), or through the portal by an
// external user (portal); external is TheHive 5.6's native flag.
type demoComment struct {
	by, portal, text string
	external         bool
}

// demoAttachment is marked external natively, by the case tag, or not.
type demoAttachment struct {
	name, contentType, content string
	native, tagged             bool
}

// demoObservable is added by an analyst, or through the portal by an
// external user (portal).
type demoObservable struct {
	portal string
	o      thehivetest.Observable
}

const (
	analyst = thehivetest.AnalystLogin
	lead    = thehivetest.LeadLogin
)

func demoCases() []demoCase {
	return []demoCase{becCase(), ransomwareCase(), laptopCase(), huntCase()}
}

func becCase() demoCase {
	return demoCase{
		title:   "Business email compromise: invoice mailbox forwarding rule",
		sharing: "shared with the domain " + demoDomain + " (tag)",
		description: "Our mail monitoring flagged an inbox rule on ap-invoices@" + demoDomain + " that forwarded every " +
			"supplier invoice to an outside address. We are finding out how the mailbox was accessed and whether " +
			"payment details were changed.\n\nScope so far: one mailbox, forwarding active since 28 May.",
		severity: 3, tags: []string{"bec", "finance", "portal:domain=" + demoDomain},
		comments: []demoComment{
			{by: analyst, external: true, text: "We removed the forwarding rule and signed the mailbox out of every session at 14:20 UTC. " +
				"Please check whether any supplier bank details were changed since 28 May."},
			{by: lead, text: "Sign-ins came from a hosting provider right after a burst of MFA prompts. Keep the source " +
				"network out of client updates until Legal has reviewed the notification duty."},
			{portal: demoSofia.Email, text: "Finance confirms two payments to Contoso Supplies went to a new bank account " +
				"on 3 and 5 June. I uploaded the remittance advices."},
			{by: analyst, text: "[external] Next update tomorrow at 10:00 CET, once the mailbox audit export is complete."},
		},
		attachments: []demoAttachment{
			{name: "bec-initial-findings.txt", contentType: "text/plain", native: true, content: "Initial findings\n\n" +
				"- Inbox rule 'Invoices' created 28 May 09:12 UTC, forwarding to an outside address\n" +
				"- Rule removed 12 June 14:18 UTC; all sessions revoked 14:20 UTC\n- Next step: audit log review\n"},
			{name: "signin-log-export.csv", contentType: "text/csv",
				content: "time,user,ip,result\n2024-05-28T09:03:11Z,ap-invoices,203.0.113.47,MFA approved\n"},
			{name: "forwarding-rule-details.txt", contentType: "text/plain", tagged: true,
				content: "Rule name: Invoices\nCondition: subject contains 'invoice'\nAction: forward, then mark as read\n"},
		},
		observables: []demoObservable{
			{o: thehivetest.Observable{DataType: "mail", Data: "invoices@northwind-payments.example.net",
				Message: "Destination of the forwarding rule", External: true}},
			{o: thehivetest.Observable{DataType: "ip", Data: "203.0.113.47", IOC: true,
				Message: "Source of the suspicious sign-ins (hosting provider)"}},
			{portal: demoSofia.Email, o: thehivetest.Observable{DataType: "other", Data: "GB33 BUKB 2020 1555 5555 55",
				Message: "Bank account named in the fraudulent invoices"}},
		},
	}
}

func ransomwareCase() demoCase {
	return demoCase{
		title:   "Ransomware precursor blocked on file server NW-FS02",
		sharing: "shared with the group " + demoITGroup + " (tag)",
		description: "EDR blocked a credential-dumping tool on NW-FS02 at 02:14 UTC and isolated the host. No " +
			"encryption was seen. We are checking how the attacker reached the server and which accounts are exposed.",
		severity: 3, tags: []string{"ransomware", "edr", "portal:group=" + demoITGroup},
		comments: []demoComment{
			{by: analyst, external: true, text: "NW-FS02 stays isolated. Please do not reboot it: we need the memory " +
				"image first. The list of accounts to reset follows within the hour."},
			{by: analyst, text: "The beacon configuration matches a known affiliate's infrastructure. Attribution is not " +
				"approved for sharing with the client."},
			{by: lead, text: "[external] Reset now: svc-backup, svc-sql02 and the local administrator of NW-FS02. " +
				"Please confirm here when done."},
			{portal: demoLiam.Email, text: "All three accounts were reset at 09:40 CET. Tonight's backup job will fail " +
				"until the new svc-backup password is set in the backup console."},
		},
		attachments: []demoAttachment{
			{name: "accounts-to-reset.txt", contentType: "text/plain", native: true,
				content: "svc-backup\nsvc-sql02\nNW-FS02\\Administrator\n"},
			{name: "memory-triage-notes.md", contentType: "text/markdown",
				content: "# Triage\n\nBeacon config extracted from lsass dump; C2 domain listed in the observables.\n"},
		},
		observables: []demoObservable{
			{o: thehivetest.Observable{DataType: "hash", Data: "9f2b5c0e7d3a41e6b8c2f0a1d4e7b9c35a6d8e1f2b4c7a9d0e3f6a8b1c4d7e0f",
				Message: "SHA-256 of the blocked tool (a renamed dump utility)", External: true}},
			{o: thehivetest.Observable{DataType: "domain", Data: "cdn-update-check.example.net", IOC: true,
				Message: "Beacon callback domain"}},
			{portal: demoLiam.Email, o: thehivetest.Observable{DataType: "hostname", Data: "NW-FS02",
				Message: "Server where the alert fired"}},
		},
	}
}

func laptopCase() demoCase {
	return demoCase{
		title:   "Lost laptop reported by Northwind sales",
		sharing: "shared with Paul and Liam (TheHive 5.6 native access)",
		description: "A sales laptop (asset NW-LT-0417) was reported lost at Lyon Part-Dieu station on 11 June. The " +
			"disk is encrypted; we are checking its last check-in and revoking its certificates.",
		severity: 2, tags: []string{"lost-device"},
		access: &thehivetest.Access{Kind: thehivetest.AccessExternal, Users: []string{demoPaul.Email, demoLiam.Email}},
		comments: []demoComment{
			{by: analyst, external: true, text: "The laptop last checked in on 11 June at 17:52 CET. We revoked its VPN " +
				"certificate and queued a remote wipe, which runs the next time it connects."},
			{by: lead, text: "The owner had local administrator rights, against policy. Raise it with Northwind IT " +
				"management separately, not in this case."},
		},
		attachments: []demoAttachment{
			{name: "nw-lt-0417-device-record.txt", contentType: "text/plain", native: true,
				content: "Asset: NW-LT-0417\nModel: 14-inch business laptop\nDisk encryption: on\nLast check-in: 11 June 17:52 CET\n"},
		},
		observables: []demoObservable{
			{o: thehivetest.Observable{DataType: "hostname", Data: "NW-LT-0417", Message: "The lost laptop", External: true}},
		},
	}
}

func huntCase() demoCase {
	return demoCase{
		title:   "Quarterly threat hunt: Northwind network",
		sharing: "internal, shared with nobody",
		description: "Internal hunt for lateral movement across the Northwind segments. Not for the client until " +
			"the findings are confirmed.",
		severity: 2, tags: []string{"threat-hunt"},
		comments: []demoComment{
			{by: analyst, text: "Two workstations show SMB sessions to NW-FS02 outside business hours; checking the " +
				"owners before we raise it."},
		},
		observables: []demoObservable{
			{o: thehivetest.Observable{DataType: "hostname", Data: "NW-WS-0231", Message: "Unusual SMB sessions at night"}},
		},
	}
}

// portalComment is the message the portal writes for a comment of an
// external user.
func portalComment(m config.Markers, email, text string) string {
	return filter.FormatComment(m.CommentPrefix, email, text)
}

// marker expands one placeholder of a marker pattern.
func marker(pattern, placeholder, value string) string {
	return strings.Replace(pattern, placeholder, value, 1)
}
