package policy

// Reason names why a Decision was made. Logs, audit events and explain
// output carry it; clients never see more than a uniform 404 or 403.
type Reason string

// The reasons of visibility decisions.
const (
	// ReasonShared: a share rule matched; Decision.Rule names it.
	ReasonShared Reason = "shared"
	// ReasonNotShared: no share rule of the kind matched.
	ReasonNotShared Reason = "not_shared"
	// ReasonNoViewer: the viewer has no email, so no rule can match.
	ReasonNoViewer Reason = "no_viewer"
	// ReasonMalformed: the object is not a JSON object of the expected
	// _type, or has no _id.
	ReasonMalformed Reason = "malformed_object"
	// ReasonUnknownKind: the kind is not one the share model knows.
	ReasonUnknownKind Reason = "unknown_kind"
)

// The reasons of write and profile decisions.
const (
	// ReasonWriteAllowed: the viewer's profile allows the write;
	// Decision.Rule is "profile:<name>".
	ReasonWriteAllowed Reason = "write_allowed"
	// ReasonWriteNotAllowed: the viewer's profile does not allow it.
	ReasonWriteNotAllowed Reason = "profile_forbids_write"
	// ReasonNoProfile: no group grants the viewer a profile and
	// profiles.default is "none".
	ReasonNoProfile Reason = "no_profile"
	// ReasonProfileGranted: a profile was found; Decision.Rule is
	// "group:<group>" or "default".
	ReasonProfileGranted Reason = "profile_granted"
)

// Decision is the answer to one question, with the reason and the rule.
type Decision struct {
	// Allow is true when the object is visible or the write allowed.
	Allow bool
	// Reason says why.
	Reason Reason
	// Rule names the share rule, profile or group that decided, when one
	// did.
	Rule string
}

func deny(r Reason) Decision { return Decision{Reason: r} }

func allow(r Reason, rule string) Decision { return Decision{Allow: true, Reason: r, Rule: rule} }
