package notify

import (
	"context"
	"crypto/tls"
	"fmt"

	mail "github.com/wneessen/go-mail"

	"github.com/thehive-portal/thehive-portal/config"
)

// Sender delivers one mail.
type Sender interface {
	Send(ctx context.Context, m Mail) error
}

// SMTP sends mails through an SMTP server, one connection per mail (the
// volume is small: one mail per user and case per period).
type SMTP struct {
	cfg  config.SMTP
	from string
}

var _ Sender = (*SMTP)(nil)

// NewSMTP builds a sender from validated settings. It dials nothing.
func NewSMTP(n config.Notify) (*SMTP, error) {
	s := &SMTP{cfg: n.SMTP, from: n.From}
	if _, err := s.client(); err != nil {
		return nil, err
	}
	if err := mail.NewMsg().From(n.From); err != nil {
		return nil, fmt.Errorf("notify: from: %w", err)
	}
	return s, nil
}

// client builds a go-mail client for one delivery. TLS is required unless
// the configuration says none (which it refuses with credentials).
func (s *SMTP) client() (*mail.Client, error) {
	opts := []mail.Option{
		mail.WithPort(s.cfg.Port),
		mail.WithTimeout(s.cfg.Timeout),
		mail.WithTLSConfig(&tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}),
	}
	switch s.cfg.TLS {
	case config.SMTPTLS:
		opts = append(opts, mail.WithSSL())
	case config.SMTPNoTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password.Reveal()))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp client: %w", err)
	}
	return c, nil
}

// Send renders m and delivers it within the configured timeout.
func (s *SMTP) Send(ctx context.Context, m Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notify: send: %w", err)
	}
	return nil
}

// message builds the MIME message: plain text, UTF-8, nothing but what
// Render returns.
func (s *SMTP) message(m Mail) (*mail.Msg, error) {
	subject, body := Render(m)
	msg := mail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("notify: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("notify: recipient: %w", err)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, body)
	return msg, nil
}
