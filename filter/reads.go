package filter

import "github.com/thehive-portal/thehive-portal/config"

// Reads returns the top-level fields of kind that the filter reads: the
// allow-listed ones and those it builds its output from (tags, custom
// fields, comment author...). Anything else in an input object is dropped,
// so the caller may ask TheHive to leave it out. Case customFields count
// only when view.case_custom_fields names some: else the output's list is
// always empty.
func (s *Set) Reads(kind config.Kind) []string {
	v, err := s.view(kind)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(v.entries))
	for _, e := range v.entries {
		if e.role == roleCustom && len(s.customNames) == 0 {
			continue
		}
		out = append(out, e.name)
	}
	return out
}
