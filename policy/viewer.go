package policy

import (
	"sort"
	"strings"

	"github.com/thehive-portal/thehive-portal/config"
)

// Viewer is the external user a decision is made for. The proxy builds it
// from verified token claims.
type Viewer struct {
	// Email is the verified email; the engine lower-cases it.
	Email string
	// Groups are the SSO groups.
	Groups []string
	// Profile is the profile name, from Engine.Profile.
	Profile string
}

// normal returns the viewer with a lower-cased, trimmed email, and its
// domain ("" when the email is not of the form local@domain).
func (v Viewer) normal() (Viewer, string) {
	v.Email = strings.ToLower(strings.TrimSpace(v.Email))
	at := strings.LastIndexByte(v.Email, '@')
	if at <= 0 || at == len(v.Email)-1 || strings.Count(v.Email, "@") != 1 {
		return Viewer{Groups: v.Groups, Profile: v.Profile}, ""
	}
	return v, v.Email[at+1:]
}

// profileGrant is a compiled profile.
type profileGrant struct {
	name   string
	writes map[config.Write]bool
	groups map[string]bool
}

func compileProfiles(p config.Profiles) []profileGrant {
	out := make([]profileGrant, 0, len(p.Definitions))
	for name, def := range p.Definitions {
		g := profileGrant{name: name, writes: map[config.Write]bool{}, groups: map[string]bool{}}
		for _, w := range def.Writes {
			g.writes[w] = true
		}
		for _, grp := range def.Groups {
			g.groups[grp] = true
		}
		out = append(out, g)
	}
	// Most writes first, then by name: the first grant found wins.
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].writes) != len(out[j].writes) {
			return len(out[i].writes) > len(out[j].writes)
		}
		return out[i].name < out[j].name
	})
	return out
}

// Profile returns the profile that the SSO groups grant: the one allowing
// the most writes among those a group maps to, else profiles.default. With
// default "none" and no matching group the Decision denies with
// ReasonNoProfile.
func (e *Engine) Profile(groups []string) (string, Decision) {
	for _, p := range e.profiles {
		for _, g := range groups {
			if p.groups[g] {
				return p.name, allow(ReasonProfileGranted, "group:"+g)
			}
		}
	}
	if e.defaultProfile == config.ProfileNone {
		return "", deny(ReasonNoProfile)
	}
	return e.defaultProfile, allow(ReasonProfileGranted, "default")
}

// Allows decides whether the viewer's profile allows write w.
func (e *Engine) Allows(v Viewer, w config.Write) Decision {
	for _, p := range e.profiles {
		if p.name == v.Profile {
			if p.writes[w] {
				return allow(ReasonWriteAllowed, "profile:"+p.name)
			}
			return Decision{Reason: ReasonWriteNotAllowed, Rule: "profile:" + p.name}
		}
	}
	return deny(ReasonNoProfile)
}

// Writes lists the writes the viewer's profile allows, in config.Writes
// order.
func (e *Engine) Writes(v Viewer) []config.Write {
	var out []config.Write
	for _, w := range config.Writes {
		if e.Allows(v, w).Allow {
			out = append(out, w)
		}
	}
	return out
}
