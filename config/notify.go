package config

import (
	"net/mail"
	"strings"
	"time"
)

// Notify configures the email notifications sent to external users: a case
// was shared with them, or a case they see has a new external comment or
// attachment. Mails hold the case number, its title and the portal link,
// nothing else. Only users named directly (a user share tag such as
// portal:user=<email>, or TheHive 5.6 native access listing their email)
// are notified: group and domain shares name no address.
type Notify struct {
	// Enabled turns notifications on. Default false.
	Enabled bool `yaml:"enabled"`
	// From is the sender address, e.g. "SOC portal <soc@example.com>".
	// Required when enabled.
	From string `yaml:"from"`
	// Period: at most one mail per user and case in this period, across
	// every replica (the state is in the store). Default 1h.
	Period time.Duration `yaml:"period"`
	// QueueSize bounds the events waiting to be turned into mails; when it
	// is full, events are dropped (and counted). Default 1000.
	QueueSize int  `yaml:"queue_size"`
	SMTP      SMTP `yaml:"smtp"`
}

// SMTP is the mail server notifications are sent through.
type SMTP struct {
	// Host of the SMTP server. Required when notifications are enabled.
	Host string `yaml:"host"`
	// Port of the SMTP server. Default 587.
	Port int `yaml:"port"`
	// Username for SMTP authentication; empty: none.
	Username string `yaml:"username"`
	// Password for SMTP authentication. Never printed.
	Password Secret `yaml:"password"`
	// TLS is starttls (required STARTTLS), tls (implicit TLS, usually port
	// 465) or none (plain text; not allowed with a username). Default
	// starttls.
	TLS string `yaml:"tls"`
	// Timeout bounds connecting and sending one mail. Default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// The values of SMTP.TLS.
const (
	SMTPStartTLS = "starttls"
	SMTPTLS      = "tls"
	SMTPNoTLS    = "none"
)

func (c *Config) setNotifyDefaults() {
	n := &c.Notify
	setDuration(&n.Period, time.Hour)
	setInt(&n.QueueSize, 1000)
	setInt(&n.SMTP.Port, 587)
	setString(&n.SMTP.TLS, SMTPStartTLS)
	setDuration(&n.SMTP.Timeout, 10*time.Second)
}

// notify checks the notification settings; the server and the sender are
// required only when notifications are enabled.
func (v *validator) notify(n *Notify) {
	v.duration("notify.period", n.Period, time.Minute, 30*24*time.Hour)
	v.intRange("notify.queue_size", n.QueueSize, 1, 100000)
	v.intRange("notify.smtp.port", n.SMTP.Port, 1, 65535)
	v.oneOf("notify.smtp.tls", n.SMTP.TLS, SMTPStartTLS, SMTPTLS, SMTPNoTLS)
	v.duration("notify.smtp.timeout", n.SMTP.Timeout, time.Second, 5*time.Minute)
	v.noControl("notify.smtp.host", n.SMTP.Host)
	v.noControl("notify.smtp.username", n.SMTP.Username)
	v.noControl("notify.smtp.password", n.SMTP.Password.Reveal())
	if n.SMTP.Username != "" && n.SMTP.TLS == SMTPNoTLS {
		v.add("notify.smtp.tls", "must not be none with a username: credentials are never sent in clear")
	}
	if n.SMTP.Password.IsSet() && n.SMTP.Username == "" {
		v.add("notify.smtp.username", "is required with a password")
	}
	if n.From != "" {
		if a, err := mail.ParseAddress(n.From); err != nil || strings.ContainsAny(a.Address, "\r\n") {
			v.add("notify.from", "must be an email address, e.g. \"SOC portal <soc@example.com>\"")
		}
	}
	if !n.Enabled {
		return
	}
	v.required("notify.smtp.host", n.SMTP.Host)
	v.required("notify.from", n.From)
}
