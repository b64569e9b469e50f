package thehivetest

import "time"

// Default limits.
const (
	// DefaultMaxJSONBytes caps JSON (and form) request bodies.
	DefaultMaxJSONBytes = 10 << 20
	// DefaultMaxUploadBytes caps one multipart request.
	DefaultMaxUploadBytes = 1 << 30
	// DefaultRequestLogEntries is how many requests the log keeps (oldest dropped first).
	DefaultRequestLogEntries = 1000
	// DefaultRequestBodyCap is how many body bytes are recorded per request.
	DefaultRequestBodyCap = 1 << 20
)

type config struct {
	orgName, orgID  string
	users           map[string]User
	now             func() time.Time
	seed            bool
	discard         bool
	maxJSON         int64
	maxUpload       int64
	logEntries      int
	bodyCap         int
	webhookURL      string
	webhookSecret   string
	checkAttachCase bool
	retain          int
}

func defaultConfig() config {
	return config{
		orgName:    OrgName,
		orgID:      OrgID,
		users:      defaultUsers(),
		now:        time.Now,
		maxJSON:    DefaultMaxJSONBytes,
		maxUpload:  DefaultMaxUploadBytes,
		logEntries: DefaultRequestLogEntries,
		bodyCap:    DefaultRequestBodyCap,
	}
}

// Option configures a Sim.
type Option func(*config)

// WithOrganisation sets the organisation name and `~id` (default OrgName, OrgID).
// X-Organisation must name one of them.
func WithOrganisation(name, id string) Option {
	return func(c *config) { c.orgName, c.orgID = name, id }
}

// WithAPIKey adds (or replaces) a bearer API key. The default keys (ServiceKey,
// AnalystKey, LeadKey, ReaderKey) stay unless replaced.
func WithAPIKey(key string, u User) Option {
	return func(c *config) { c.users[key] = u }
}

// WithClock sets the clock used for timestamps of new objects (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithSeed loads the deterministic scenario described by Scenario at construction.
func WithSeed() Option {
	return func(c *config) { c.seed = true }
}

// WithDiscardAttachmentContent keeps only the hashes and size of uploaded files; the
// content is dropped while it streams in. Downloads of such files return a
// deterministic filler of the recorded size (see Filler), so hashes will not match.
// Use it for big-upload benchmarks so the simulator's memory does not grow.
func WithDiscardAttachmentContent() Option {
	return func(c *config) { c.discard = true }
}

// WithMaxJSONBytes caps JSON request bodies (default DefaultMaxJSONBytes); larger
// bodies get 413.
func WithMaxJSONBytes(n int64) Option {
	return func(c *config) { c.maxJSON = n }
}

// WithMaxUploadBytes caps multipart request bodies (default DefaultMaxUploadBytes).
func WithMaxUploadBytes(n int64) Option {
	return func(c *config) { c.maxUpload = n }
}

// WithRequestLog sets how many requests are kept and how many body bytes are recorded
// per request (defaults DefaultRequestLogEntries, DefaultRequestBodyCap). A bodyCap of 0
// records no bodies.
func WithRequestLog(maxEntries, bodyCap int) Option {
	return func(c *config) { c.logEntries, c.bodyCap = maxEntries, bodyCap }
}

// WithWebhook makes the simulator POST an audit envelope to url on every change,
// with `Authorization: Bearer <secret>` when secret is not empty.
func WithWebhook(url, secret string) Option {
	return func(c *config) { c.webhookURL, c.webhookSecret = url, secret }
}

// WithRetention keeps, on each case, the seeded comments and the last n
// written after them, and the last n to 2n audits. Long load tests use it so that the
// simulator's own storage stays flat and the heap measures the portal.
func WithRetention(n int) Option {
	return func(c *config) { c.retain = n }
}

// WithStrictAttachmentCase makes the case-scoped attachment download routes check
// that the attachment belongs to the case. By default they do not (whether TheHive
// checks is unknown), so a proxy that forgets the check leaks in tests.
func WithStrictAttachmentCase() Option {
	return func(c *config) { c.checkAttachCase = true }
}
