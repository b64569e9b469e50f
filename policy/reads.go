package policy

import "github.com/thehive-portal/thehive-portal/config"

// memberNames are the JSON keys of the members, in member order.
var memberNames = [numMembers]string{"_type", "_id", "access", "external", "message", "tags"}

// Reads returns the top-level fields of an object of kind that Decide may
// read: _id and _type, and those of the kind's share rules (access,
// external, message, tags). A caller that leaves other fields out of the
// objects it decides gets the same decisions.
func (e *Engine) Reads(kind config.Kind) []string {
	var out []string
	for m := range numMembers {
		if e.wants[kind]&m.bit() != 0 {
			out = append(out, memberNames[m])
		}
	}
	return out
}
