// Package policy decides what an external viewer may see and do.
//
// It is pure: no I/O, no context, no clock. Given a Viewer (verified email,
// SSO groups, profile) and TheHive's JSON of a case, comment, attachment or
// observable, an Engine returns a Decision: visible or not, a named Reason and
// the name of the share rule that matched. It also resolves a viewer's profile
// from their SSO groups, says which writes that profile allows, and compiles
// the case rules into a TheHive query filter so that listing can be
// restricted upstream (the portal still decides every item itself).
//
// Default deny: an object that is not a JSON object of the expected _type, a
// viewer without an email, or no matching rule gives a hidden Decision.
//
// Tag patterns are matched exactly (case-sensitive). {email}, {group} and
// {domain} are replaced by the viewer's values as literal text (a "*" in an
// email is not a wildcard); "*" in the pattern itself matches any run of
// characters. Emails are compared in lower case, as the portal stores them.
package policy
