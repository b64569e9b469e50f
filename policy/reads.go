package policy

import "github.com/thehive-portal/thehive-portal/config"

// Reads returns the top-level fields of an object of kind that Decide may
// read: _id and _type, and those of the kind's share rules (access,
// external, message, tags). A caller that leaves other fields out of the
// objects it decides gets the same decisions.
func (e *Engine) Reads(kind config.Kind) []string {
	out := []string{"_id", "_type"}
	for _, r := range e.rules[kind] {
		switch r.cond {
		case "native_access":
			out = append(out, "access")
		case "native_external":
			out = append(out, "external")
		case "message_prefix":
			out = append(out, "message")
		case "tag":
			out = append(out, "tags")
		}
	}
	return out
}
