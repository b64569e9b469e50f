package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// applyShare reads the case, checks the attachments, adds or removes the
// tags that need it in one PATCH, and prints what changed.
func applyShare(ctx context.Context, c *hiveClient, o *shareOptions, changes []tagChange, out io.Writer) error {
	hc, err := c.getCase(ctx, o.caseID)
	if err != nil {
		return err
	}
	atts, err := checkAttachments(ctx, c, hc, o.attachments)
	if err != nil {
		return err
	}
	var tags []string
	for _, ch := range changes {
		if slices.Contains(hc.Tags, ch.tag) == o.revoke && !slices.Contains(tags, ch.tag) {
			tags = append(tags, ch.tag)
		}
	}
	if len(tags) > 0 {
		add, remove := tags, []string(nil)
		if o.revoke {
			add, remove = nil, tags
		}
		if err := c.patchTags(ctx, hc.ID, add, remove); err != nil {
			return fmt.Errorf("case #%d: %w", hc.Number, err)
		}
	}
	fmt.Fprintf(out, "Case #%d (%s): %s\n", hc.Number, hc.ID, hc.Title)
	for _, ch := range changes {
		fmt.Fprintln(out, "  "+describe(ch, o.revoke, slices.Contains(tags, ch.tag)))
	}
	for _, n := range notes(hc, o, atts, tags) {
		fmt.Fprintln(out, "  note: "+n)
	}
	return nil
}

// checkAttachments makes sure every attachment id belongs to the case.
func checkAttachments(ctx context.Context, c *hiveClient, hc *hiveCase, ids []string) ([]hiveAttachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	atts, err := c.attachments(ctx, hc.ID)
	if err != nil {
		return nil, fmt.Errorf("list the attachments of case #%d: %w", hc.Number, err)
	}
	for _, id := range ids {
		if !slices.ContainsFunc(atts, func(a hiveAttachment) bool { return a.ID == id }) {
			return nil, fmt.Errorf("attachment %s is not an attachment of case #%d (%s)", id, hc.Number, hc.ID)
		}
	}
	return atts, nil
}

// describe says what happened to one tag.
func describe(ch tagChange, revoke, changed bool) string {
	att := strings.HasPrefix(ch.what, "attachment ")
	switch {
	case !revoke && changed && att:
		return fmt.Sprintf("%s marked external: added tag %s", ch.what, ch.tag)
	case !revoke && changed:
		return fmt.Sprintf("shared with %s: added tag %s", ch.what, ch.tag)
	case !revoke && att:
		return fmt.Sprintf("%s already external: tag %s is present", ch.what, ch.tag)
	case !revoke:
		return fmt.Sprintf("already shared with %s: tag %s is present", ch.what, ch.tag)
	case changed && att:
		return fmt.Sprintf("%s no longer external: removed tag %s", ch.what, ch.tag)
	case changed:
		return fmt.Sprintf("no longer shared with %s: removed tag %s", ch.what, ch.tag)
	case att:
		return fmt.Sprintf("%s was not marked external by tag: no tag %s", ch.what, ch.tag)
	}
	return fmt.Sprintf("was not shared with %s: no tag %s", ch.what, ch.tag)
}

// notes are what else still shares what unshare revoked: TheHive 5.6's
// native access and external flags, and other tags naming the user.
func notes(hc *hiveCase, o *shareOptions, atts []hiveAttachment, changed []string) []string {
	if !o.revoke {
		return nil
	}
	var out []string
	if o.user != "" {
		email := strings.ToLower(strings.TrimSpace(o.user))
		if nativeAccessFor(hc.Access, email) {
			out = append(out, "TheHive's native access (5.6) still shares the case with "+email+": change it in TheHive")
		}
		for _, t := range hc.Tags {
			if !slices.Contains(changed, t) && strings.Contains(strings.ToLower(t), email) {
				out = append(out, "tag "+t+" still names "+email)
			}
		}
	}
	for _, a := range atts {
		if a.External && slices.Contains(o.attachments, a.ID) {
			out = append(out, "attachment "+a.ID+" has TheHive's native external flag: unset it in TheHive")
		}
	}
	return out
}

// nativeAccessFor reads TheHive 5.6's access object as the policy does.
func nativeAccessFor(access []byte, email string) bool {
	a := gjson.ParseBytes(access)
	switch a.Get("_kind").String() {
	case "AllExternalAccessKind":
		return true
	case "ExternalAccessKind":
		for _, u := range a.Get("users").Array() {
			if u.Str == "*" || strings.EqualFold(u.Str, email) {
				return true
			}
		}
	}
	return false
}
