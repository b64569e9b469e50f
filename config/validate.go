package config

import (
	"net"
	"net/url"
	"strings"
	"time"
)

// Validate checks a configuration built in code (Load already validates).
// It returns an *Error listing every problem, or nil. It does no I/O.
func (c *Config) Validate() error {
	var ps problems
	c.validate(&ps)
	return ps.err()
}

// validate adds every problem of c to ps, skipping paths that already have
// one (a value that could not be read).
func (c *Config) validate(ps *problems) {
	v := validator{ps: ps, skip: map[string]bool{}}
	for _, p := range ps.list {
		v.skip[p.Path] = true
	}
	v.address("listen", c.Listen, true)
	v.baseURL("public_url", c.PublicURL, true)
	v.upstream(&c.Upstream)
	v.oidc(&c.OIDC)
	v.redis(&c.Redis)
	v.session(&c.Session)
	if c.Webhook.Secret.IsSet() && len(c.Webhook.Secret) < 16 {
		v.add("webhook.secret", "must be at least 16 bytes")
	}
	v.duration("cache.ttl", c.Cache.TTL, time.Second, time.Hour)
	v.share(&c.Share)
	v.view(&c.View)
	v.markers(c)
	v.profiles(&c.Profiles)
	v.inputs(&c.Inputs)
	v.limits(&c.Limits)
	v.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	v.oneOf("log.format", c.Log.Format, "json", "text")
	if c.Admin.Listen != "" {
		v.address("admin.listen", c.Admin.Listen, false)
	} else if c.Admin.Pprof {
		v.add("admin.pprof", "needs admin.listen: profiles are served only on the admin listener")
	}
	v.notify(&c.Notify)
	v.duration("shutdown_delay", c.ShutdownDelay, 0, time.Minute)
}

type validator struct {
	ps   *problems
	skip map[string]bool
}

func (v *validator) add(path, format string, args ...any) {
	if !v.skip[path] {
		v.ps.add(path, 0, format, args...)
	}
}

func (v *validator) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		v.add(path, "is required")
		return false
	}
	return true
}

func (v *validator) address(path, addr string, required bool) {
	if !required && addr == "" {
		return
	}
	if !v.required(path, addr) {
		return
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		v.add(path, "must be host:port, e.g. :8080 or 127.0.0.1:8080")
	}
}

// baseURL checks an absolute http(s) URL without user info, query or
// fragment. With httpsOnly, plain http is allowed only on loopback hosts.
func (v *validator) baseURL(path, raw string, httpsOnly bool) {
	if !v.required(path, raw) {
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		v.add(path, "must be an absolute URL")
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, "must be an http or https URL")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		v.add(path, "must not hold user info, a query or a fragment")
	case httpsOnly && u.Scheme == "http" && !isLoopback(u.Hostname()):
		v.add(path, "must be https (plain http only on a loopback host)")
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (v *validator) duration(path string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		v.add(path, "must be between %s and %s", lo, hi)
	}
}

func (v *validator) oneOf(path, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(path, "must be one of %s", strings.Join(allowed, ", "))
}

func (v *validator) noControl(path, value string) {
	for _, r := range value {
		if r < 0x20 || r == 0x7f {
			v.add(path, "must not hold control characters")
			return
		}
	}
}

func (v *validator) upstream(u *Upstream) {
	v.baseURL("upstream.url", u.URL, false)
	if !u.APIKey.IsSet() {
		v.add("upstream.api_key", "is required")
	}
	v.noControl("upstream.api_key", u.APIKey.Reveal())
	v.noControl("upstream.organisation", u.Organisation)
	v.noControl("upstream.service_login", u.ServiceLogin)
	v.duration("upstream.timeout", u.Timeout, time.Second, 10*time.Minute)
}

var allowedAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}

func (v *validator) oidc(o *OIDC) {
	v.baseURL("oidc.issuer", o.Issuer, true)
	v.required("oidc.client_id", o.ClientID)
	if !o.ClientSecret.IsSet() {
		v.add("oidc.client_secret", "is required")
	}
	if !contains(o.Scopes, "openid") {
		v.add("oidc.scopes", "must include openid")
	}
	v.required("oidc.email_claim", o.EmailClaim)
	v.required("oidc.groups_claim", o.GroupsClaim)
	if len(o.SigningAlgs) == 0 {
		v.add("oidc.signing_algs", "must list at least one algorithm")
	}
	for i, alg := range o.SigningAlgs {
		if !contains(allowedAlgs, alg) {
			v.add(index("oidc.signing_algs", i), "must be one of %s (no none, no HMAC)", strings.Join(allowedAlgs, ", "))
		}
	}
	v.duration("oidc.keys_refetch_cooldown", o.KeysRefetchCooldown, time.Second, time.Hour)
}

func (v *validator) redis(r *Redis) {
	if r.URL.IsSet() {
		u, err := url.Parse(r.URL.Reveal())
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			v.add("redis.url", "must be a redis://, rediss:// or unix:// URL")
		}
	}
	if r.Prefix == "" || strings.ContainsAny(r.Prefix, " \t\r\n*?[]") {
		v.add("redis.prefix", "must be non-empty, without spaces or glob characters")
	}
	v.duration("redis.timeout", r.Timeout, 10*time.Millisecond, 30*time.Second)
	if r.AuditStream != "" && strings.ContainsAny(r.AuditStream, " \t\r\n") {
		v.add("redis.audit_stream", "must not hold spaces")
	}
}

func (v *validator) session(s *Session) {
	if len(s.Secret) < 32 {
		v.add("session.secret", "must be at least 32 bytes")
	}
	v.duration("session.ttl", s.TTL, time.Minute, 30*24*time.Hour)
	v.duration("session.idle_ttl", s.IdleTTL, time.Minute, 30*24*time.Hour)
	if s.IdleTTL > s.TTL {
		v.add("session.idle_ttl", "must not exceed session.ttl")
	}
}

func (v *validator) limits(l *Limits) {
	v.size("limits.max_body_bytes", l.MaxBodyBytes, 1<<10, 64<<20)
	v.size("limits.max_upload_bytes", l.MaxUploadBytes, 1<<10, 64<<30)
	v.size("limits.max_response_bytes", l.MaxResponseBytes, 64<<10, 1<<30)
	v.intRange("limits.max_json_depth", l.MaxJSONDepth, 4, 256)
	v.intRange("limits.max_page_size", l.MaxPageSize, 1, 10000)
	v.intRange("limits.max_list_items", l.MaxListItems, 1, 1000000)
	v.intRange("limits.requests_per_minute", l.RequestsPerMinute, 1, 1000000)
}

func (v *validator) size(path string, s, lo, hi ByteSize) {
	if s < lo || s > hi {
		v.add(path, "must be between %s and %s", lo, hi)
	}
}

func (v *validator) intRange(path string, n, lo, hi int) {
	if n < lo || n > hi {
		v.add(path, "must be between %d and %d", lo, hi)
	}
}
