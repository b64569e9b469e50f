package config

import "time"

// Config is the whole configuration of thehive-portal. The YAML keys are the
// snake_case names in the struct tags; testdata/config.example.yaml documents
// each one.
type Config struct {
	// Listen is the address of the portal. Default ":8080" (PORTAL_LISTEN).
	Listen string `yaml:"listen"`
	// PublicURL is the external base URL; the OIDC redirect URL is built from
	// it. It must be https unless its host is a loopback address
	// (PORTAL_PUBLIC_URL).
	PublicURL string   `yaml:"public_url"`
	Upstream  Upstream `yaml:"upstream"`
	OIDC      OIDC     `yaml:"oidc"`
	Redis     Redis    `yaml:"redis"`
	Session   Session  `yaml:"session"`
	Webhook   Webhook  `yaml:"webhook"`
	Cache     Cache    `yaml:"cache"`
	Share     Share    `yaml:"share"`
	View      View     `yaml:"view"`
	Markers   Markers  `yaml:"markers"`
	Profiles  Profiles `yaml:"profiles"`
	Inputs    Inputs   `yaml:"inputs"`
	Limits    Limits   `yaml:"limits"`
	Log       Log      `yaml:"log"`
	Admin     Admin    `yaml:"admin"`
	Notify    Notify   `yaml:"notify"`
	// ShutdownDelay: on SIGTERM, /readyz answers 503 for this long before
	// the listeners close, so that load balancers stop sending requests
	// first. In-flight requests then have up to 30s to finish. Default 0s;
	// at most 1m.
	ShutdownDelay time.Duration `yaml:"shutdown_delay"`
}

// Upstream is the TheHive the portal sends its own requests to.
type Upstream struct {
	// URL is the TheHive base URL, e.g. http://thehive:9000
	// (PORTAL_UPSTREAM_URL).
	URL string `yaml:"url"`
	// APIKey is the API key of the TheHive service account the portal uses
	// (PORTAL_UPSTREAM_API_KEY).
	APIKey Secret `yaml:"api_key"`
	// Organisation, when set, is sent as X-Organisation
	// (PORTAL_UPSTREAM_ORGANISATION).
	Organisation string `yaml:"organisation"`
	// ServiceLogin is the login of that service account. Attribution that
	// the portal wrote (the external author of a comment or observable) is
	// trusted only on objects created by this login. Empty: learned from
	// GET /api/v1/user/current at start.
	ServiceLogin string `yaml:"service_login"`
	// Timeout bounds one JSON request to TheHive, answer included; a
	// download must start within it (the transfer itself and uploads are
	// not cut by it). Default 30s.
	Timeout time.Duration `yaml:"timeout"`
	// NativeExternal makes the portal set TheHive 5.6's native external
	// flag on what external users create, in addition to the markers of
	// the share model. Default false (works with every TheHive 5).
	NativeExternal bool `yaml:"native_external"`
}

// OIDC is the identity provider external users sign in with.
type OIDC struct {
	// Issuer is the issuer URL; discovery is read from it
	// (PORTAL_OIDC_ISSUER).
	Issuer string `yaml:"issuer"`
	// ClientID is the portal's client id; bearer tokens must carry it in
	// their audience (PORTAL_OIDC_CLIENT_ID).
	ClientID string `yaml:"client_id"`
	// ClientSecret is the client secret (PORTAL_OIDC_CLIENT_SECRET).
	ClientSecret Secret `yaml:"client_secret"`
	// Scopes asked for at sign-in. Default [openid, email, profile].
	Scopes []string `yaml:"scopes"`
	// EmailClaim names the claim holding the user's email. Default "email".
	EmailClaim string `yaml:"email_claim"`
	// GroupsClaim names the claim holding the user's SSO groups. Default
	// "groups".
	GroupsClaim string `yaml:"groups_claim"`
	// RequireVerifiedEmail refuses users whose email_verified claim is not
	// true. Default true.
	RequireVerifiedEmail *bool `yaml:"require_verified_email"`
	// SigningAlgs is the allow-list of token signature algorithms. Default
	// [RS256, ES256].
	SigningAlgs []string `yaml:"signing_algs"`
	// Audiences are extra audiences accepted on bearer tokens besides
	// ClientID. Default none.
	Audiences []string `yaml:"audiences"`
	// KeysRefetchCooldown is the shortest time between two fetches of the
	// IdP's key set for tokens with an unknown key id. Default 1m.
	KeysRefetchCooldown time.Duration `yaml:"keys_refetch_cooldown"`
}

// Redis is the optional shared store of sessions and the share cache.
type Redis struct {
	// URL such as redis://127.0.0.1:6379/0. Empty: in-memory stores (one
	// replica only) (PORTAL_REDIS_URL).
	URL Secret `yaml:"url"`
	// Prefix of every key the portal writes. Default "thehive-portal:".
	Prefix string `yaml:"prefix"`
	// Timeout of one Redis command. Default 500ms.
	Timeout time.Duration `yaml:"timeout"`
	// AuditStream, when set, is the stream (under Prefix) that audit events
	// are also added to.
	AuditStream string `yaml:"audit_stream"`
}

// Session configures browser sessions.
type Session struct {
	// Secret keys the session cookies; 32 bytes or more
	// (PORTAL_SESSION_SECRET).
	Secret Secret `yaml:"secret"`
	// TTL is the absolute lifetime of a session. Default 8h.
	TTL time.Duration `yaml:"ttl"`
	// IdleTTL ends a session unused for that long. Default 1h.
	IdleTTL time.Duration `yaml:"idle_ttl"`
}

// Webhook configures POST /hooks/thehive.
type Webhook struct {
	// Secret that TheHive sends as "Authorization: Bearer <secret>"; 16
	// bytes or more. Empty disables the endpoint (PORTAL_WEBHOOK_SECRET).
	Secret Secret `yaml:"secret"`
}

// Cache configures the share cache.
type Cache struct {
	// TTL is how long resolved share data may be cached. Default 30s; at
	// most 1h (PORTAL_CACHE_TTL).
	TTL time.Duration `yaml:"ttl"`
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error. Default info.
	Level string `yaml:"level"`
	// Format is json or text. Default json.
	Format string `yaml:"format"`
}

// Admin is the optional internal listener for metrics and explain.
type Admin struct {
	// Listen address, e.g. 127.0.0.1:9090. Empty: no admin listener.
	Listen string `yaml:"listen"`
	// Pprof serves Go's runtime profiles under /debug/pprof/ on the admin
	// listener (for profiling under load). Default false.
	Pprof bool `yaml:"pprof"`
}

// Limits bound what the portal accepts and reads.
type Limits struct {
	// MaxBodyBytes bounds a JSON request body. Default 1MiB.
	MaxBodyBytes ByteSize `yaml:"max_body_bytes"`
	// MaxUploadBytes bounds one multipart upload. Default 100MiB.
	MaxUploadBytes ByteSize `yaml:"max_upload_bytes"`
	// MaxResponseBytes bounds a JSON answer read from TheHive; a larger one
	// is an error (502). Default 32MiB.
	MaxResponseBytes ByteSize `yaml:"max_response_bytes"`
	// MaxJSONDepth bounds the nesting of JSON read or accepted. Default 32.
	MaxJSONDepth int `yaml:"max_json_depth"`
	// MaxPageSize bounds one page of a list. Default 100.
	MaxPageSize int `yaml:"max_page_size"`
	// MaxListItems bounds how many items the portal reads from TheHive to
	// answer one list (it filters them before paging). Default 10000.
	MaxListItems int `yaml:"max_list_items"`
	// RequestsPerMinute is the per-user rate limit. Default 600.
	RequestsPerMinute int `yaml:"requests_per_minute"`
}
