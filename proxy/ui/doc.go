// Package ui renders the pages of the web portal that external users see
// in their browser: sign-in, the case list, a case with its comments,
// attachments and observables, the forms to contribute, and the pages that
// explain why something cannot be shown.
//
// Templates (html/template) and static assets (one stylesheet, one small
// script for upload progress) are embedded with go:embed and parsed once
// by New; a template that does not parse is an error at startup, never at
// request time. Render executes a page into a buffer first, so a failure
// never sends half a page.
//
// The package receives plain view structs (views.go) that the proxy
// package fills; it knows nothing of TheHive, sessions or the share model,
// and never imports proxy. Every value is escaped by html/template; no
// template marks anything as safe HTML. Pages hold no inline script or
// style, so the portal's Content-Security-Policy (script-src 'self';
// style-src 'self') holds without 'unsafe-inline', and no asset comes from
// another origin.
package ui
