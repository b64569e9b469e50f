// Package notify emails external users a link to a case of the portal: the
// case was shared with them, or it has a new external comment or
// attachment.
//
// A mail never holds case content beyond the case number and title: the
// reader follows the link and signs in to see the rest (Render).
//
// Queue runs the work in the background, off the webhook that triggered it:
// it is bounded (a full queue drops events and says so), and it sends at
// most one mail per user and case per period, with the state in the shared
// store so that every replica agrees. SMTP delivers mails through a mail
// server with github.com/wneessen/go-mail.
package notify
