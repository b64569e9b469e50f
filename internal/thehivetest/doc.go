// Package thehivetest is an in-memory TheHive 5 API simulator for tests,
// benchmarks and the demo command. It follows the shared thehive-api.md and the
// fixtures in thehive-fixtures/ (copied to testdata/).
//
// Use NewServer(t, opts...) in tests (an httptest.Server on 127.0.0.1, closed by
// t.Cleanup), or New(opts...) and Sim.Handler() to serve it yourself; then call
// Sim.Close. WithSeed loads a deterministic scenario: the fixture cases #42 and #41
// plus one case per share rule of DESIGN.md, described by Scenario() and the
// exported constants. SeedBulk generates benchmark data.
//
// What it serves: API-key auth (`Authorization: Bearer`), cases (by `~id` or
// number), native access, comments, case attachments (streamed multipart uploads,
// downloads), observables (JSON and multipart with `_json`), tasks, task logs,
// alerts, audits, GET /api/v1/user/current, /api/v1/status, and the query API with
// filter, sort, page (X-Total) and count. Every change is audited and, with
// WithWebhook or SetWebhook, POSTed in order as a TheHive 5 audit envelope.
// Requests are recorded (Requests); SetLatency, SetPathStatus and SetResponseHook
// simulate a misbehaving TheHive.
//
// Choices made where TheHive's behaviour is not documented:
//
//   - Unknown routes answer 404 NotFoundError with the path as message, before
//     authentication (routing comes first in TheHive). Paths with empty or dot
//     segments or a trailing slash are unknown routes.
//   - A wrong X-Organisation answers 403 AuthorizationError.
//   - Write bodies: JSON objects and urlencoded forms; URL query-string keys are
//     merged into the fields and win on a clash (as TheHive 4's field parser does),
//     so `PATCH /api/v1/case/42?status=TruePositive` changes the status. Unknown
//     keys are ignored. Bodies over the JSON cap answer 413 {"type":"Unknown"}.
//   - Case tags are omitted when empty; customFields is always present. Custom
//     fields need no definition: their type is inferred from the value.
//   - Labels: severity LOW/MEDIUM/HIGH/CRITICAL; TLP CLEAR/GREEN/AMBER/AMBER+STRICT/RED;
//     PAP CLEAR/GREEN/AMBER/RED.
//   - The attachment download routes do not check by default that the attachment
//     belongs to the case/observable/log of the path (unknown in TheHive); use
//     WithStrictAttachmentCase to check. /api/v1/attachment/{id} also accepts the
//     SHA-256 hash. PATCH and DELETE of a case attachment do check it. `?asZip` is
//     ignored (plain bytes).
//   - Attachment uploads accept an optional `external` form field (true/false) that
//     marks every uploaded file; canRename=true renames clashes to "name (n).ext".
//   - Files whose content is not kept (WithDiscardAttachmentContent, and the fixture
//     attachments whose hashes are synthetic) download as Filler bytes.
//   - Observables: no duplicate detection; unknown dataType is a 400
//     AttributeCheckingError; a JSON `attachment` {id: sha256} copies an existing
//     file with no visibility check (as TheHive 4 did).
//   - Query: `_like` is case-insensitive, a substring match without `*` and a
//     wildcard match with `*`; missing values sort last; relative dates are not
//     supported; unknown extraData names are ignored; page and count end a pipeline.
//   - Audit and webhook objects: cases without `access` and with customFieldValues;
//     comments as {alert, case, message} with details {author}; attachments as the
//     attachment plus `case`; other objects as their output shape.
package thehivetest
