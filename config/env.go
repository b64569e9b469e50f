package config

import "time"

// envVar is one PORTAL_* variable and where it goes.
type envVar struct {
	name string
	path string
	set  func(c *Config, v string) error
}

// envVars are the variables of DESIGN.md. Each overrides its key in the
// file when set and not empty.
var envVars = []envVar{
	{"PORTAL_LISTEN", "listen", func(c *Config, v string) error { c.Listen = v; return nil }},
	{"PORTAL_PUBLIC_URL", "public_url", func(c *Config, v string) error { c.PublicURL = v; return nil }},
	{"PORTAL_UPSTREAM_URL", "upstream.url", func(c *Config, v string) error { c.Upstream.URL = v; return nil }},
	{"PORTAL_UPSTREAM_API_KEY", "upstream.api_key", func(c *Config, v string) error { c.Upstream.APIKey = Secret(v); return nil }},
	{"PORTAL_UPSTREAM_ORGANISATION", "upstream.organisation", func(c *Config, v string) error { c.Upstream.Organisation = v; return nil }},
	{"PORTAL_OIDC_ISSUER", "oidc.issuer", func(c *Config, v string) error { c.OIDC.Issuer = v; return nil }},
	{"PORTAL_OIDC_CLIENT_ID", "oidc.client_id", func(c *Config, v string) error { c.OIDC.ClientID = v; return nil }},
	{"PORTAL_OIDC_CLIENT_SECRET", "oidc.client_secret", func(c *Config, v string) error { c.OIDC.ClientSecret = Secret(v); return nil }},
	{"PORTAL_REDIS_URL", "redis.url", func(c *Config, v string) error { c.Redis.URL = Secret(v); return nil }},
	{"PORTAL_SESSION_SECRET", "session.secret", func(c *Config, v string) error { c.Session.Secret = Secret(v); return nil }},
	{"PORTAL_WEBHOOK_SECRET", "webhook.secret", func(c *Config, v string) error { c.Webhook.Secret = Secret(v); return nil }},
	{"PORTAL_CACHE_TTL", "cache.ttl", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		c.Cache.TTL = d
		return nil
	}},
}

// EnvVars returns the names of the PORTAL_* variables Load reads.
func EnvVars() []string {
	names := make([]string, len(envVars))
	for i, e := range envVars {
		names[i] = e.name
	}
	return names
}

// applyEnv sets the values of the PORTAL_* variables.
func applyEnv(c *Config, getenv func(string) string, ps *problems) {
	for _, e := range envVars {
		v := getenv(e.name)
		if v == "" {
			continue
		}
		if err := e.set(c, v); err != nil {
			ps.add(e.path, 0, "%s: not a duration such as 30s", e.name)
		}
	}
}
