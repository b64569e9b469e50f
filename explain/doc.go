// Package explain previews a TheHive case as one external user would see it
// through the portal, and says why each part is shown or hidden.
//
// It adds no rule of its own: visibility comes from the policy engine
// (policy.Engine, the same share rules the portal applies, with the rule
// name or reason of each decision) and what is shown of a visible object
// from the filter (filter.Set, the same allow-list projection). Explain
// only reads TheHive's JSON, asks both, and writes the answers down: for
// the case, each field, tag and custom field; for each comment, attachment
// and observable, shown or hidden and the rule or reason.
//
// The package is pure (no I/O); the proxy package reads the case and its
// items from TheHive with the service key and hands them over as Input.
// A Report is for analysts: it names hidden items by id, author and date
// (never their content) and lists the case's tags, so it must never be
// served to external users.
package explain
