package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/query"
)

// shareOptions are the flags of share and unshare.
type shareOptions struct {
	revoke               bool // unshare
	caseID               string
	user, group, domain  string
	attachments          stringList
	configPath, url, org string
}

// tagChange is one share-model tag that share adds or unshare removes.
type tagChange struct {
	tag  string
	what string // "user x", "group g", "domain d" or "attachment ~1"
}

const shareUsage = "usage: thehive-portal %s --case ID (--user EMAIL | --group G | --domain D) [--attachment AID]... [--url URL] [--config FILE]"

// shareCmd is share and unshare: it writes or removes the tags of the
// share model on a case with the analyst's own API key (THEHIVE_API_KEY),
// and prints what it changed.
func shareCmd(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseShareFlags(name, args, stderr)
	if err != nil {
		return err
	}
	cfg, err := shareConfig(o.configPath, getenv)
	if err != nil {
		return err
	}
	changes, err := plannedChanges(cfg, o)
	if err != nil {
		return err
	}
	c, err := shareClient(cfg, o, getenv)
	if err != nil {
		return err
	}
	return applyShare(ctx, c, o, changes, stdout)
}

func parseShareFlags(name string, args []string, stderr io.Writer) (*shareOptions, error) {
	o := &shareOptions{revoke: name == "unshare"}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.caseID, "case", "", "case: ~<id> or case number (required)")
	fs.StringVar(&o.user, "user", "", "email of one external user")
	fs.StringVar(&o.group, "group", "", "SSO group")
	fs.StringVar(&o.domain, "domain", "", "email domain")
	fs.Var(&o.attachments, "attachment", "attachment _id (~<id>) of the case to mark external (repeatable)")
	fs.StringVar(&o.configPath, "config", "", "the portal's configuration, for its tag patterns (default: the default share rules)")
	fs.StringVar(&o.url, "url", "", "TheHive base URL (default: upstream.url of --config, else THEHIVE_URL)")
	fs.StringVar(&o.org, "organisation", "", "X-Organisation (default: upstream.organisation of --config)")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err.Error()}
	}
	targets := 0
	for _, v := range []string{o.user, o.group, o.domain} {
		if v != "" {
			targets++
		}
	}
	if fs.NArg() > 0 || o.caseID == "" || targets > 1 || targets+len(o.attachments) == 0 {
		return nil, usageError{fmt.Sprintf(shareUsage, name)}
	}
	if _, err := query.ParseCaseID(o.caseID); err != nil {
		return nil, usageError{fmt.Sprintf("--case %q: use ~<id> or a case number", o.caseID)}
	}
	return o, nil
}

// shareConfig loads --config, or takes the default share rules.
func shareConfig(path string, getenv func(string) string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	return loadConfig(path, getenv)
}

// shareClient builds the TheHive client with the analyst's key, never the
// portal's service key.
func shareClient(cfg *config.Config, o *shareOptions, getenv func(string) string) (*hiveClient, error) {
	key := strings.TrimSpace(getenv("THEHIVE_API_KEY"))
	if key == "" {
		return nil, errors.New("THEHIVE_API_KEY is not set: share and unshare use your own TheHive API key, so that TheHive records who changed the case")
	}
	if cfg.Upstream.APIKey.IsSet() && key == cfg.Upstream.APIKey.Reveal() {
		return nil, errors.New("THEHIVE_API_KEY is the portal's service key: use your own TheHive API key")
	}
	base := firstOf(o.url, cfg.Upstream.URL, getenv("THEHIVE_URL"))
	if base == "" {
		return nil, usageError{"no TheHive URL: pass --url, or --config with upstream.url, or set THEHIVE_URL"}
	}
	return newHiveClient(base, key, firstOf(o.org, cfg.Upstream.Organisation))
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

var (
	emailSyntax  = regexp.MustCompile(`^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@` + domainPart + `$`)
	domainSyntax = regexp.MustCompile(`^` + domainPart + `$`)
	objectIDRef  = regexp.MustCompile(`^~[0-9]{1,19}$`)
)

const domainPart = `([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?`

// plannedChanges validates the targets and builds their tags from the
// configured patterns.
func plannedChanges(cfg *config.Config, o *shareOptions) ([]tagChange, error) {
	var out []tagChange
	ph, value, what, err := target(o)
	if err != nil {
		return nil, err
	}
	if ph != "" {
		pattern, err := caseTagPattern(cfg, ph)
		if err != nil {
			return nil, err
		}
		out = append(out, tagChange{tag: strings.Replace(pattern, ph, value, 1), what: what})
	}
	for _, aid := range o.attachments {
		if !objectIDRef.MatchString(aid) {
			return nil, usageError{fmt.Sprintf("--attachment %q: use the attachment _id, ~<digits>", aid)}
		}
		tag, err := attachmentTag(cfg, aid)
		if err != nil {
			return nil, err
		}
		out = append(out, tagChange{tag: tag, what: "attachment " + aid})
	}
	return out, nil
}

// target validates --user, --group or --domain and returns its
// placeholder, its value as the tag holds it, and its description; ph is
// "" when none was given.
func target(o *shareOptions) (ph, value, what string, err error) {
	switch {
	case o.user != "":
		email := strings.ToLower(strings.TrimSpace(o.user))
		if len(email) > 254 || !emailSyntax.MatchString(email) {
			return "", "", "", usageError{fmt.Sprintf("--user %q is not an email address", o.user)}
		}
		return config.PlaceholderEmail, email, "user " + email, nil
	case o.group != "":
		if !validGroup(o.group) {
			return "", "", "", usageError{fmt.Sprintf("--group %q: use the group name as the IdP sends it "+
				"(no control characters, no leading or trailing space)", o.group)}
		}
		return config.PlaceholderGroup, o.group, "group " + o.group, nil
	case o.domain != "":
		domain := strings.ToLower(strings.TrimSpace(o.domain))
		if len(domain) > 253 || !domainSyntax.MatchString(domain) {
			return "", "", "", usageError{fmt.Sprintf("--domain %q is not a domain name", o.domain)}
		}
		return config.PlaceholderDomain, domain, "domain " + domain, nil
	}
	return "", "", "", nil
}

func validGroup(g string) bool {
	if g == "" || len(g) > 256 || strings.TrimSpace(g) != g {
		return false
	}
	return !strings.ContainsFunc(g, unicode.IsControl)
}

// caseTagPattern finds the share.case tag rule that holds placeholder ph
// alone (markers.case_user first for {email}).
func caseTagPattern(cfg *config.Config, ph string) (string, error) {
	var found []string
	for _, r := range cfg.Share.Case {
		rest := strings.Replace(r.Tag, ph, "", 1)
		if r.Tag != "" && rest != r.Tag && !strings.ContainsAny(rest, "{}*") {
			found = append(found, r.Tag)
		}
	}
	if ph == config.PlaceholderEmail && slices.Contains(found, cfg.Markers.CaseUser) {
		return cfg.Markers.CaseUser, nil
	}
	if len(found) == 0 {
		return "", fmt.Errorf("share.case has no tag rule with %s (and no other placeholder or *): this configuration cannot share by %s",
			ph, strings.Trim(ph, "{}"))
	}
	return found[0], nil
}

// attachmentTag is markers.attachment_case_tag for aid, when a
// share.attachment rule matches it.
func attachmentTag(cfg *config.Config, aid string) (string, error) {
	m := cfg.Markers.AttachmentCaseTag
	for _, r := range cfg.Share.Attachment {
		if r.CaseTag != "" && r.CaseTag == m {
			return strings.Replace(m, config.PlaceholderID, aid, 1), nil
		}
	}
	return "", fmt.Errorf("no share.attachment case_tag rule is %q (markers.attachment_case_tag): tags cannot mark attachments external here", m)
}
