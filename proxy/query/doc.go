// Package query parses the body of POST /api/v1/query that an external
// client sends, and builds the query bodies the portal sends to TheHive.
//
// TheHive's query API is a full graph traversal language (thehive-api.md §5,
// §11): forwarding a client's query, even after checks on its bytes, would
// reach data the share model never names. This package therefore accepts a
// tiny typed vocabulary and nothing else (DESIGN.md "External interface"):
//
//	listCase → [filter] → [sort] → [page | count]
//	getCase{idOrName} → comments|attachments|observables → [filter] → [sort] → [page | count]
//	getCase{idOrName}
//
// Parsing is strict and happens once (SECURITY.md §3.2, §5 rules 1–3): the
// body must be valid UTF-8 JSON within the size and depth limits; every
// object in it must have distinct keys (compared after decoding \u escapes);
// keys are exact-case (so "_NAME" is unknown); any operation, parameter, key
// or value type outside the grammar is an error. Filter and sort fields must
// be in the caller's per-kind allow-list. The filter is re-serialised in a
// canonical form (legacy forms become {"_eq":{"_field":…,"_value":…}}, "_is"
// becomes "_eq"), so TheHive never sees the client's bytes.
//
// The builders (ListCases, CaseChildren, GetCase) write the upstream bodies
// from typed values with encoding/json. They never pass on the client's page
// or count: the portal fetches every matching item up to a cap, decides each
// item itself, and pages and counts over the visible items only.
//
// Errors are *Error values in TheHive's {"type","message"} shape, always 400
// BadRequest, with short messages that do not echo the input.
//
// The package is pure: no I/O, no clock, no global state.
package query
