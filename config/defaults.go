package config

import "time"

// The defaults of DESIGN.md. setDefaults is the only place they are applied.
const (
	DefaultListen        = ":8080"
	DefaultCacheTTL      = 30 * time.Second
	DefaultAnalystAlias  = "SOC team"
	DefaultProfile       = ProfileReporter
	DefaultRedisPrefix   = "thehive-portal:"
	defaultUpstreamLimit = 30 * time.Second
)

// DefaultShare returns the share rules of DESIGN.md.
func DefaultShare() Share {
	return Share{
		Case: []Rule{
			{NativeAccess: true},
			{Tag: "portal:user={email}"},
			{Tag: "portal:group={group}"},
			{Tag: "portal:domain={domain}"},
			{Tag: "portal:created-by={email}"},
		},
		Comment: []Rule{
			{NativeExternal: true},
			{MessagePrefix: "[external]"},
		},
		Attachment: []Rule{
			{NativeExternal: true},
			{CaseTag: "portal:attachment={id}"},
		},
		Observable: []Rule{
			{NativeExternal: true},
			{Tag: "portal:by=*"},
		},
	}
}

// DefaultViewFields returns the field allow-lists of DESIGN.md.
func DefaultViewFields() ViewFields {
	return ViewFields{
		Case: []string{"_id", "_type", "number", "title", "description", "severity", "status",
			"stage", "startDate", "endDate", "_createdAt", "_updatedAt"},
		Comment:    []string{"_id", "_type", "message", "createdAt", "_createdAt", "isEdited"},
		Attachment: []string{"_id", "_type", "id", "name", "size", "contentType", "_createdAt"},
		Observable: []string{"_id", "_type", "dataType", "data", "message", "_createdAt"},
	}
}

// DefaultProfiles returns the three built-in profiles, granted by no group.
func DefaultProfiles() map[string]Profile {
	return map[string]Profile{
		ProfileReader:      {Writes: []Write{}},
		ProfileContributor: {Writes: []Write{WriteComment, WriteAttachment, WriteObservable}},
		ProfileReporter:    {Writes: []Write{WriteComment, WriteAttachment, WriteObservable, WriteCase}},
	}
}

// DefaultObservableTypes returns the observable data types of DESIGN.md.
func DefaultObservableTypes() []string {
	return []string{"ip", "domain", "fqdn", "hostname", "url", "uri_path", "mail", "mail-subject",
		"hash", "filename", "file", "user-agent", "registry", "other"}
}

// Default returns a configuration holding only defaults. It does not
// validate: the required values (URLs, keys, secrets) are empty.
func Default() *Config {
	c := &Config{}
	c.setDefaults()
	return c
}

// setDefaults fills every unset value with its default.
func (c *Config) setDefaults() {
	setString(&c.Listen, DefaultListen)
	setDuration(&c.Upstream.Timeout, defaultUpstreamLimit)
	c.setOIDCDefaults()
	setString(&c.Redis.Prefix, DefaultRedisPrefix)
	setDuration(&c.Redis.Timeout, 500*time.Millisecond)
	setDuration(&c.Session.TTL, 8*time.Hour)
	setDuration(&c.Session.IdleTTL, time.Hour)
	setDuration(&c.Cache.TTL, DefaultCacheTTL)
	c.setShareDefaults()
	c.setMarkerDefaults()
	c.setProfileDefaults()
	if c.Inputs.CaseFields == nil {
		c.Inputs.CaseFields = []string{"title", "description", "severity"}
	}
	if c.Inputs.ObservableTypes == nil {
		c.Inputs.ObservableTypes = DefaultObservableTypes()
	}
	c.setLimitDefaults()
	setString(&c.Log.Level, "info")
	setString(&c.Log.Format, "json")
	c.setNotifyDefaults()
}

func (c *Config) setOIDCDefaults() {
	o := &c.OIDC
	if o.Scopes == nil {
		o.Scopes = []string{"openid", "email", "profile"}
	}
	setString(&o.EmailClaim, "email")
	setString(&o.GroupsClaim, "groups")
	if o.RequireVerifiedEmail == nil {
		t := true
		o.RequireVerifiedEmail = &t
	}
	if o.SigningAlgs == nil {
		o.SigningAlgs = []string{"RS256", "ES256"}
	}
	setDuration(&o.KeysRefetchCooldown, time.Minute)
}

func (c *Config) setShareDefaults() {
	d := DefaultShare()
	setRules(&c.Share.Case, d.Case)
	setRules(&c.Share.Comment, d.Comment)
	setRules(&c.Share.Attachment, d.Attachment)
	setRules(&c.Share.Observable, d.Observable)
	f := DefaultViewFields()
	setStrings(&c.View.Fields.Case, f.Case)
	setStrings(&c.View.Fields.Comment, f.Comment)
	setStrings(&c.View.Fields.Attachment, f.Attachment)
	setStrings(&c.View.Fields.Observable, f.Observable)
	setString(&c.View.AnalystAlias, DefaultAnalystAlias)
	for _, k := range Kinds {
		rules := c.Share.Rules(k)
		for i := range rules {
			if rules[i].Name == "" {
				key, value := rules[i].Condition()
				rules[i].Name = string(k) + "." + key
				if key != "native_access" && key != "native_external" {
					rules[i].Name += ":" + value
				}
			}
		}
	}
}

func (c *Config) setMarkerDefaults() {
	m := &c.Markers
	setString(&m.CaseUser, "portal:user={email}")
	setString(&m.CaseCreator, "portal:created-by={email}")
	setString(&m.ObservableAuthor, "portal:by={email}")
	setString(&m.CommentPrefix, "[external]")
	setString(&m.AttachmentCaseTag, "portal:attachment={id}")
	if m.ReservedTagPrefixes == nil {
		m.ReservedTagPrefixes = []string{"portal:"}
	}
}

func (c *Config) setProfileDefaults() {
	p := &c.Profiles
	setString(&p.Default, DefaultProfile)
	if p.Definitions == nil {
		p.Definitions = map[string]Profile{}
	}
	for name, def := range DefaultProfiles() {
		if _, ok := p.Definitions[name]; !ok {
			p.Definitions[name] = def
		}
	}
}

func (c *Config) setLimitDefaults() {
	l := &c.Limits
	setSize(&l.MaxBodyBytes, 1<<20)
	setSize(&l.MaxUploadBytes, 100<<20)
	setSize(&l.MaxResponseBytes, 32<<20)
	setInt(&l.MaxJSONDepth, 32)
	setInt(&l.MaxPageSize, 100)
	setInt(&l.MaxListItems, 10000)
	setInt(&l.RequestsPerMinute, 600)
}

func setString(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func setDuration(p *time.Duration, v time.Duration) {
	if *p == 0 {
		*p = v
	}
}

func setInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}

func setSize(p *ByteSize, v ByteSize) {
	if *p == 0 {
		*p = v
	}
}

func setStrings(p *[]string, v []string) {
	if *p == nil {
		*p = v
	}
}

func setRules(p *[]Rule, v []Rule) {
	if *p == nil {
		*p = v
	}
}
