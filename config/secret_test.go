package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestSecretsNeverPrint formats a whole loaded configuration every way a
// program might and checks that no secret value appears.
func TestSecretsNeverPrint(t *testing.T) {
	e := minimalEnv()
	e["PORTAL_REDIS_URL"] = "redis://:CANARY-redis-password@127.0.0.1:6379/0"
	e["PORTAL_WEBHOOK_SECRET"] = "CANARY-webhook-secret"
	e["PORTAL_UPSTREAM_API_KEY"] = "CANARY-service-key"
	e["PORTAL_OIDC_CLIENT_SECRET"] = "CANARY-client-secret"
	e["PORTAL_SESSION_SECRET"] = "CANARY-session-secret-0123456789abcdef"
	c, err := Load(strings.NewReader(""), env(e))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", c, "key", c.Upstream.APIKey)
	js, _ := json.Marshal(c)
	ym, _ := yaml.Marshal(c)
	outputs := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), fmt.Sprintf("%s", c.Upstream.APIKey),
		fmt.Sprintf("%q", c.OIDC.ClientSecret), fmt.Sprintf("%x", c.Session.Secret), fmt.Sprint(c.Redis.URL),
		string(js), string(ym), logs.String(),
	}
	for i, out := range outputs {
		if strings.Contains(out, "CANARY-") {
			t.Errorf("output %d leaks a secret: %s", i, out)
		}
	}
	if c.Upstream.APIKey.Reveal() != "CANARY-service-key" {
		t.Error("Reveal must return the value")
	}
}

// TestProblemsNeverPrintSecrets: a bad secret is reported without its value.
func TestProblemsNeverPrintSecrets(t *testing.T) {
	e := minimalEnv()
	e["PORTAL_SESSION_SECRET"] = "CANARY-short"
	e["PORTAL_REDIS_URL"] = "http://CANARY-user:CANARY-pw@host"
	e["PORTAL_WEBHOOK_SECRET"] = "CANARY-w"
	_, err := Load(strings.NewReader(""), env(e))
	if err == nil {
		t.Fatal("want problems")
	}
	if strings.Contains(err.Error(), "CANARY-") {
		t.Errorf("problem list leaks a secret: %v", err)
	}
}
