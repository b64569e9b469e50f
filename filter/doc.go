// Package filter projects TheHive JSON for one external viewer: bytes in,
// bytes out, nothing else.
//
// A Set is compiled once from the configuration (view allow-lists, case
// tags and custom fields shown, comment marker prefixes, the observable
// author marker, the analyst alias and the size and depth limits). One
// filters a single object and List a JSON array or TheHive 4's paged form.
// Which items are visible is not decided here: Scope.Visible, built by the
// caller from the policy, says so for each item. The filter imports config
// and gjson, and never the policy package.
//
// Every body is validated once, before anything reads it, in one
// non-recursive pass: its size, its nesting depth, duplicate keys at any
// depth (compared after decoding, so {"a":1,"\u0061":2} is a duplicate)
// and the JSON grammar (accepting exactly what gjson.ValidBytes accepts,
// which a differential fuzz target checks). Any failure,
// or a shape that is not the expected TheHive shape, is an error wrapping
// one of the Err sentinels, and the caller answers 502: a body is never
// passed through.
//
// Visible items are built, never cleaned: for each one, the keys listed in
// view.fields of its kind are copied in input order (compacted, under their
// configured names) and then the keys the portal builds are added:
//
//   - case: "tags", the tags matching view.case_tags and not starting with
//     a reserved prefix; "customFields", the entries named in
//     view.case_custom_fields, rebuilt as {name, type, value, order};
//   - comment: "message" without the comment marker and, on comments the
//     service login created, without the portal's attribution line, whose
//     email becomes "createdBy" (otherwise the analyst alias);
//   - observable: "createdBy", the email of the author tag on observables
//     the service login created, otherwise the analyst alias;
//   - every kind: "extraData":{}.
//
// Nothing else leaves, whatever TheHive adds. Markers and attribution are
// matched on decoded strings, so "\u005bexternal]" is the marker too. The
// output is compact JSON.
package filter
