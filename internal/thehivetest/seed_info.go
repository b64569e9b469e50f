package thehivetest

import (
	"slices"
	"time"
)

// Organisation and API keys of the default configuration.
const (
	OrgName = "acme-soc"
	OrgID   = "~4096"

	// ServiceKey is the API key of ServiceLogin, the portal's service account.
	ServiceKey   = "sim-portal-service-key"
	ServiceLogin = "portal@acme-soc.example.org"
	// AnalystKey is the API key of AnalystLogin (all permissions).
	AnalystKey   = "sim-analyst-key"
	AnalystLogin = "analyst@example.org"
	// LeadKey is the API key of LeadLogin (all permissions).
	LeadKey   = "sim-lead-key"
	LeadLogin = "lead@example.org"
	// ReaderKey is the API key of ReaderLogin, who has no write permission (403s).
	ReaderKey   = "sim-reader-key"
	ReaderLogin = "reader@example.org"
)

// The fixture scenario (thehive-fixtures/README.md), seeded by WithSeed/Seed.
const (
	Case42ID     = "~41001" // case #42, shared natively (ExternalAccessKind) with JaneEmail
	Case42Number = 42
	Case41ID     = "~41088" // case #41, internal only
	Case41Number = 41

	Comment42External = "~41210" // analyst comment, external
	Comment42Internal = "~41245" // lead comment, internal, edited
	Comment42ByJane   = "~41302" // comment by the external user, external

	Attachment42External = "~41400" // external
	Attachment42Internal = "~41404" // internal

	Observable42Analyst = "~41500" // analyst IOC, internal
	Observable42ByJane  = "~41505" // file observable by the external user, external
	Attachment42File    = "~41506" // the file of Observable42ByJane

	Task42ID = "~41600" // internal task (canary)
	Log42ID  = "~41610" // its log (canary)
)

// Cases seeded for each share rule of DESIGN.md's share model (numbers 43-52).
const (
	CaseUserTagID       = "~42001" // #43 tag portal:user=AliceEmail
	CaseGroupTagID      = "~42101" // #44 tag portal:group=HRGroup
	CaseDomainTagID     = "~42201" // #45 tag portal:domain=ClientDomain
	CaseAllExternalID   = "~42301" // #46 access AllExternalAccessKind
	CaseExternalStarID  = "~42401" // #47 access ExternalAccessKind users ["*"]
	CaseCreatedByID     = "~42501" // #48 tags portal:created-by=CarolEmail + portal:user=CarolEmail
	CaseRivalID         = "~42601" // #49 tag portal:user=MalloryEmail (another client)
	CaseInternalID      = "~42701" // #50 unshared
	CaseRestrictedID    = "~42801" // #51 unshared, UserAccessKind
	CaseNearMissID      = "~42901" // #52 unshared, tags that nearly match the share rules
	SeededAlertID       = "~43001" // an alert (alerts are never visible externally)
	SeededAlertSourceID = "SIM-0001"
)

// External users and groups of the scenario.
const (
	JaneEmail    = "jane.doe@partner.example.com"
	AliceEmail   = "alice@client.example.com"
	BobEmail     = "bob@client.example.com"
	CarolEmail   = "carol@client.example.com"
	HarrietEmail = "harriet@hr-partner.example.com" // member of HRGroup
	MalloryEmail = "mallory@rival.example.net"
	HRGroup      = "hr-partners"
	ClientDomain = "client.example.com"
)

// Share rules a seeded case is shared by (SeededCase.Rule).
const (
	RuleNone         = ""
	RuleNativeUsers  = "access:ExternalAccessKind"
	RuleNativeStar   = "access:ExternalAccessKind:*"
	RuleNativeAll    = "access:AllExternalAccessKind"
	RuleTagUser      = "tag:portal:user"
	RuleTagGroup     = "tag:portal:group"
	RuleTagDomain    = "tag:portal:domain"
	RuleTagCreatedBy = "tag:portal:created-by"
)

// CanaryPrefix starts every synthetic canary string (seeded and bulk data).
const CanaryPrefix = "CANARY-"

// Persona is an external user of the scenario with the SSO groups it has.
type Persona struct {
	Email  string
	Groups []string
}

// Canary is a string that no external viewer may ever see. Value is
// "CANARY-<kind>-<id>-<field>", except for the fixture objects, whose exact texts
// must stay as in the fixtures: there Value is the fixture's own distinctive text.
type Canary struct {
	Kind, ID, Field, Value string
}

// SeededCase describes one seeded case and what an external viewer it is shared
// with may see of it under DESIGN.md's default share model.
type SeededCase struct {
	ID     string
	Number int
	Rule   string
	// VisibleTo lists the persona emails that may see the case (none if unshared).
	VisibleTo []string
	// Marker ("SHARE-<number>") appears in every visible text of the case; empty for
	// the fixture cases and unshared cases.
	Marker                                string
	VisibleComments, HiddenComments       []string
	VisibleAttachments, HiddenAttachments []string
	VisibleObservables, HiddenObservables []string
	Tasks, Logs                           []string
}

// Seeded describes everything WithSeed/Seed creates.
type Seeded struct {
	Cases    []SeededCase
	Alerts   []string
	Personas []Persona
	Canaries []Canary
}

// Case returns the description of the seeded case id.
func (s Seeded) Case(id string) (SeededCase, bool) {
	i := slices.IndexFunc(s.Cases, func(c SeededCase) bool { return c.ID == id })
	if i < 0 {
		return SeededCase{}, false
	}
	return s.Cases[i], true
}

// Personas returns the external users of the scenario.
func Personas() []Persona {
	return []Persona{
		{Email: JaneEmail}, {Email: AliceEmail}, {Email: BobEmail}, {Email: CarolEmail},
		{Email: HarrietEmail, Groups: []string{HRGroup}}, {Email: MalloryEmail},
	}
}

func allPersonaEmails() []string {
	var out []string
	for _, p := range Personas() {
		out = append(out, p.Email)
	}
	return out
}

// Scenario returns the description of the seeded data. It is deterministic.
func Scenario() Seeded {
	info, _ := seedInto(newStore(time.Now, nil))
	return info
}

// Seed loads the scenario into s (without webhooks; audits are recorded). It fails
// if the scenario's ids are already present.
func Seed(s *Sim) error {
	s.st.lock()
	defer s.st.mu.Unlock()
	if s.st.cases[Case42ID] != nil {
		return errBadRequest("scenario already seeded")
	}
	_, err := seedInto(s.st)
	return err
}
