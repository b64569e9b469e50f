package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// hiveClient is the little of TheHive's API that share and unshare use,
// with the analyst's own API key.
type hiveClient struct {
	base *url.URL
	key  string
	org  string
	http *http.Client
}

func newHiveClient(base, key, org string) (*hiveClient, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Sprintf("TheHive URL %q must be an absolute http(s) URL", base)}
	}
	return &hiveClient{base: u, key: key, org: org, http: &http.Client{
		Timeout: 30 * time.Second,
		// A redirect would carry the key elsewhere: never follow one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// hiveCase is what share reads of a case.
type hiveCase struct {
	ID     string          `json:"_id"`
	Number int64           `json:"number"`
	Title  string          `json:"title"`
	Tags   []string        `json:"tags"`
	Access json.RawMessage `json:"access"`
}

// hiveAttachment is what share reads of an attachment.
type hiveAttachment struct {
	ID       string `json:"_id"`
	Name     string `json:"name"`
	External bool   `json:"external"`
}

// errCaseMissing: TheHive has no such case, or the analyst cannot see it.
var errCaseMissing = errors.New("case not found")

// getCase reads a case by ~id or number.
func (c *hiveClient) getCase(ctx context.Context, ref string) (*hiveCase, error) {
	var hc hiveCase
	if err := c.call(ctx, http.MethodGet, nil, &hc, "api", "v1", "case", ref); err != nil {
		if errors.Is(err, errCaseMissing) {
			return nil, fmt.Errorf("case %s not found in TheHive (or your account cannot see it)", ref)
		}
		return nil, err
	}
	return &hc, nil
}

// attachments lists the attachments of the case id.
func (c *hiveClient) attachments(ctx context.Context, id string) ([]hiveAttachment, error) {
	body := map[string]any{"query": []map[string]any{
		{"_name": "getCase", "idOrName": id}, {"_name": "attachments"}, {"_name": "page", "from": 0, "to": 10000},
	}}
	var out []hiveAttachment
	return out, c.call(ctx, http.MethodPost, body, &out, "api", "v1", "query")
}

// patchTags adds or removes case tags with PATCH addTags/removeTags, which
// leave the other tags as they are.
func (c *hiveClient) patchTags(ctx context.Context, id string, add, remove []string) error {
	body := map[string][]string{}
	if len(add) > 0 {
		body["addTags"] = add
	}
	if len(remove) > 0 {
		body["removeTags"] = remove
	}
	return c.call(ctx, http.MethodPatch, body, nil, "api", "v1", "case", id)
}

// call sends one request and decodes a JSON answer into out (when not
// nil). Failures become messages for the analyst.
func (c *hiveClient) call(ctx context.Context, method string, in, out any, segments ...string) error {
	req, err := c.newRequest(ctx, method, in, segments)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach TheHive at %s: %w", c.base.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("read TheHive's answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(resp.StatusCode, data)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("unexpected answer from TheHive: %w", err)
	}
	return nil
}

// newRequest builds a request with the analyst's key and a JSON body (in,
// when not nil).
func (c *hiveClient) newRequest(ctx context.Context, method string, in any, segments []string) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.JoinPath(segments...).String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "thehive-portal/"+version)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.org != "" {
		req.Header.Set("X-Organisation", c.org)
	}
	return req, nil
}

// statusError turns an error answer into a message that says what to do.
func statusError(status int, body []byte) error {
	var e struct{ Type, Message string }
	_ = json.Unmarshal(body, &e)
	switch status {
	case http.StatusUnauthorized:
		return errors.New("TheHive refused the API key in THEHIVE_API_KEY (401 " + e.Type + "): check that it is your current key")
	case http.StatusForbidden:
		return fmt.Errorf("TheHive refused: your account may not do this (403 %s: %s)", e.Type, e.Message)
	case http.StatusNotFound:
		return errCaseMissing
	}
	if e.Type == "" {
		return fmt.Errorf("TheHive answered %d", status)
	}
	return fmt.Errorf("TheHive answered %d %s: %s", status, e.Type, e.Message)
}
