package config

// Share holds the "shared when" rules of each kind. An object is visible when
// any rule of its kind matches; with no rule, nothing of that kind is
// visible. An omitted list gets the defaults of DESIGN.md; an explicitly
// empty list ([]) shares nothing of that kind.
type Share struct {
	Case       []Rule `yaml:"case"`
	Comment    []Rule `yaml:"comment"`
	Attachment []Rule `yaml:"attachment"`
	Observable []Rule `yaml:"observable"`
}

// Rules returns the rules of kind k.
func (s *Share) Rules(k Kind) []Rule {
	switch k {
	case KindCase:
		return s.Case
	case KindComment:
		return s.Comment
	case KindAttachment:
		return s.Attachment
	case KindObservable:
		return s.Observable
	}
	return nil
}

// Rule is one "shared when" condition. Exactly one condition field is set.
//
//   - NativeAccess (case): TheHive 5.6 access is AllExternalAccessKind, or
//     ExternalAccessKind whose users hold the viewer's email or "*".
//   - NativeExternal (comment, attachment, observable): TheHive 5.6
//     "external": true on the object.
//   - Tag (case, observable): the object has a tag matching the pattern.
//     {email}, {group} and {domain} stand for the viewer's values; "*"
//     matches any run of characters.
//   - MessagePrefix (comment): the message starts with the prefix; the
//     filter removes it before the portal shows the message.
//   - CaseTag (attachment): the attachment's case has a tag matching the
//     pattern, where {id} stands for the attachment's _id.
type Rule struct {
	// Name identifies the rule in decisions and explain output. Default:
	// derived from the condition, e.g. "case.tag:portal:user={email}".
	Name           string `yaml:"name"`
	NativeAccess   bool   `yaml:"native_access"`
	NativeExternal bool   `yaml:"native_external"`
	Tag            string `yaml:"tag"`
	MessagePrefix  string `yaml:"message_prefix"`
	CaseTag        string `yaml:"case_tag"`
}

// Condition returns the key of the condition the rule sets and its value,
// e.g. ("tag", "portal:user={email}"); ("", "") when none is set.
func (r Rule) Condition() (key, value string) {
	switch {
	case r.NativeAccess:
		return "native_access", "true"
	case r.NativeExternal:
		return "native_external", "true"
	case r.Tag != "":
		return "tag", r.Tag
	case r.MessagePrefix != "":
		return "message_prefix", r.MessagePrefix
	case r.CaseTag != "":
		return "case_tag", r.CaseTag
	}
	return "", ""
}

// conditionCount counts the condition fields that are set.
func (r Rule) conditionCount() int {
	n := 0
	for _, set := range []bool{r.NativeAccess, r.NativeExternal, r.Tag != "", r.MessagePrefix != "", r.CaseTag != ""} {
		if set {
			n++
		}
	}
	return n
}

// View is what external users see of the objects they may see: an
// allow-list projection. A field that is not listed never leaves.
type View struct {
	// Fields lists, per kind, the top-level fields copied from TheHive's
	// JSON. createdBy (comments, observables), tags and customFields (cases)
	// and extraData are built by the portal and cannot be listed here.
	Fields ViewFields `yaml:"fields"`
	// CaseTags are patterns ("*" matches any run) of case tags shown to
	// external users. Default none. Tags of the share model are never
	// shown, even when a pattern matches them.
	CaseTags []string `yaml:"case_tags"`
	// CaseCustomFields names the case custom fields shown. Default none.
	CaseCustomFields []string `yaml:"case_custom_fields"`
	// AnalystAlias is shown as the author of what analysts wrote. Default
	// "SOC team".
	AnalystAlias string `yaml:"analyst_alias"`
}

// ViewFields is the field allow-list of each kind.
type ViewFields struct {
	Case       []string `yaml:"case"`
	Comment    []string `yaml:"comment"`
	Attachment []string `yaml:"attachment"`
	Observable []string `yaml:"observable"`
}

// Of returns the allowed fields of kind k.
func (v *ViewFields) Of(k Kind) []string {
	switch k {
	case KindCase:
		return v.Case
	case KindComment:
		return v.Comment
	case KindAttachment:
		return v.Attachment
	case KindObservable:
		return v.Observable
	}
	return nil
}

// Profiles maps SSO groups to profiles and profiles to the writes they allow.
type Profiles struct {
	// Default is the profile of a user whom no group maps to a profile:
	// a profile name, or "none" to refuse such users. Default "reporter".
	Default string `yaml:"default"`
	// Definitions holds every profile by name. reader, contributor and
	// reporter exist by default and may be redefined; others may be added.
	Definitions map[string]Profile `yaml:"definitions"`
}

// Profile is one profile: the writes it allows and the SSO groups that
// grant it. A user granted several profiles gets the one that allows the
// most writes (ties: the first name in alphabetical order).
type Profile struct {
	Writes []Write  `yaml:"writes"`
	Groups []string `yaml:"groups"`
}

// Inputs are the allow-lists of what external users may send.
type Inputs struct {
	// CaseFields are the fields accepted when creating a case. title and
	// description are always required. Default [title, description,
	// severity]; the other allowed values are startDate and tags (tags of
	// the share model are stripped).
	CaseFields []string `yaml:"case_fields"`
	// ObservableTypes are the accepted observable data types. Default the
	// list of DESIGN.md.
	ObservableTypes []string `yaml:"observable_types"`
}

// Markers are what the portal itself writes into TheHive for what external
// users create. The default share rules match them; when you change one,
// change the rule that matches it too.
type Markers struct {
	// CaseUser is added to a case an external user creates, so that it
	// stays shared with them. Default "portal:user={email}".
	CaseUser string `yaml:"case_user"`
	// CaseCreator is added to a case an external user creates. Default
	// "portal:created-by={email}".
	CaseCreator string `yaml:"case_creator"`
	// ObservableAuthor is added to an observable an external user creates.
	// Default "portal:by={email}".
	ObservableAuthor string `yaml:"observable_author"`
	// CommentPrefix starts every comment an external user writes. Default
	// "[external]".
	CommentPrefix string `yaml:"comment_prefix"`
	// AttachmentCaseTag is added to the case for each attachment an external
	// user uploads; {id} is the attachment's _id. Default
	// "portal:attachment={id}".
	AttachmentCaseTag string `yaml:"attachment_case_tag"`
	// ReservedTagPrefixes: tags starting with one of these are removed from
	// anything an external user sends. Default ["portal:"].
	ReservedTagPrefixes []string `yaml:"reserved_tag_prefixes"`
}
