package config

import (
	"strings"
	"testing"
	"time"
)

func TestNotifyDefaultsOff(t *testing.T) {
	c, err := Load(strings.NewReader(""), env(minimalEnv()))
	if err != nil {
		t.Fatal(err)
	}
	n := c.Notify
	if n.Enabled || n.Period != time.Hour || n.QueueSize != 1000 || n.SMTP.Port != 587 ||
		n.SMTP.TLS != SMTPStartTLS || n.SMTP.Timeout != 10*time.Second || c.ShutdownDelay != 0 {
		t.Errorf("defaults: %+v, shutdown_delay %s", n, c.ShutdownDelay)
	}
}

func TestNotifyValidation(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // problems; none means valid
	}{
		{"ok: enabled with a server", "notify:\n  enabled: true\n  from: SOC <soc@example.com>\n  smtp:\n    host: mail.example.com\n", nil},
		{"ok: disabled needs nothing", "notify:\n  enabled: false\n", nil},
		{"ok: plain relay without credentials", "notify:\n  enabled: true\n  from: soc@example.com\n  smtp:\n    host: relay\n    port: 25\n    tls: none\n", nil},
		{"bad: enabled without server or sender", "notify:\n  enabled: true\n",
			[]string{"notify.smtp.host: is required", "notify.from: is required"}},
		{"bad: credentials in clear", "notify:\n  smtp:\n    username: u\n    password: p\n    tls: none\n",
			[]string{"notify.smtp.tls: must not be none with a username"}},
		{"bad: password without user", "notify:\n  smtp:\n    password: p\n", []string{"notify.smtp.username: is required with a password"}},
		{"bad: values out of range", "notify:\n  from: 'not an address'\n  period: 1s\n  queue_size: -1\n  smtp:\n    port: 70000\n    tls: ssl\n    timeout: 1h\n",
			[]string{"notify.from: must be an email address", "notify.period: must be between", "notify.queue_size: must be between",
				"notify.smtp.port: must be between 1 and 65535", "notify.smtp.tls: must be one of starttls, tls, none", "notify.smtp.timeout: must be between"}},
		{"bad: header injection in the sender", "notify:\n  from: \"a@example.com\\r\\nBcc: x@example.com\"\n", []string{"notify.from: must be an email address"}},
		{"bad: shutdown delay", "shutdown_delay: 2m\n", []string{"shutdown_delay: must be between 0s and 1m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.yaml), env(minimalEnv()))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %v, got no error", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in\n%v", w, err)
				}
			}
		})
	}
}
