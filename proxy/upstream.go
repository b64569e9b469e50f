package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
)

// upstream sends requests the portal builds itself to TheHive. No client
// header, cookie, query string or body reaches it unvalidated: every
// request is made here from validated parts.
type upstream struct {
	base    *url.URL
	key     config.Secret
	org     string
	client  *http.Client
	timeout time.Duration
	maxBody int64
	agent   string
}

// errUpstreamStatus is a non-2xx answer from TheHive. Its body is never
// passed on.
type errUpstreamStatus struct{ Status int }

func (e *errUpstreamStatus) Error() string { return fmt.Sprintf("thehive answered %d", e.Status) }

// errBadUpstream is an answer the portal will not pass on (wrong content
// type, encoding, size).
var errBadUpstream = errors.New("unexpected answer from thehive")

func newUpstream(cfg *config.Config, transport http.RoundTripper, agent string) (*upstream, error) {
	base, err := url.Parse(strings.TrimRight(cfg.Upstream.URL, "/"))
	if err != nil {
		return nil, fmt.Errorf("upstream url: %w", err)
	}
	if transport == nil {
		transport = newTransport()
	}
	return &upstream{
		base: base, key: cfg.Upstream.APIKey, org: cfg.Upstream.Organisation,
		client: &http.Client{
			Transport: transport,
			// A redirect from TheHive is unexpected: never follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		timeout: cfg.Upstream.Timeout,
		maxBody: int64(cfg.Limits.MaxResponseBytes),
		agent:   agent,
	}, nil
}

// newTransport is a transport with timeouts on every step.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 5 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	t.MaxIdleConnsPerHost = 64
	t.DisableCompression = true
	// Lists are hundreds of KB: read them in few system calls.
	t.ReadBufferSize = 64 << 10
	return t
}

// url builds base + the path segments, each escaped.
func (u *upstream) url(segments ...string) string {
	return u.base.JoinPath(segments...).String()
}

// newRequest builds a request with the portal's own credentials and
// headers only.
func (u *upstream) newRequest(ctx context.Context, method, target string, body io.Reader, contentType string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+u.key.Reveal())
	if u.org != "" {
		req.Header.Set("X-Organisation", u.org)
	}
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", u.agent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// jsonCall sends a JSON body (or none) and reads a JSON answer of at most
// maxBody bytes. A 2xx answer that is not JSON, a gzip answer that does not
// decode, or any other encoding is errBadUpstream. A non-2xx answer is an
// *errUpstreamStatus and its body is dropped. 204 gives a nil body.
func (u *upstream) jsonCall(ctx context.Context, method string, body []byte, segments ...string) (int, []byte, http.Header, error) {
	return u.call(ctx, method, body, nil, segments...)
}

// jsonCallPooled is jsonCall reading the answer into a buffer from a pool,
// for the lists (hundreds of KB each, read and dropped many times a
// second). The caller must call release once it no longer uses data, nor
// anything pointing into it; release is never nil.
func (u *upstream) jsonCallPooled(ctx context.Context, method string, body []byte, segments ...string) (status int, data []byte, release func(), err error) {
	buf := readBuffers.Get().(*[]byte)
	status, data, _, err = u.call(ctx, method, body, (*buf)[:0], segments...)
	return status, data, func() { putBuffer(&readBuffers, buf, data) }, err
}

// readBuffers are the read buffers of jsonCallPooled, outBuffers those of
// the lists' answers. Buffers that grew beyond maxPooledBuffer go back to
// the garbage collector instead.
var (
	readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}
	outBuffers  = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}
)

const maxPooledBuffer = 4 << 20

// putBuffer gives buf back to pool, as used, whose last contents were used
// (it may have grown, or be nil).
func putBuffer(pool *sync.Pool, buf *[]byte, used []byte) {
	if cap(used) > cap(*buf) {
		*buf = used // it grew
	}
	if cap(*buf) <= maxPooledBuffer {
		*buf = (*buf)[:0]
		pool.Put(buf)
	}
}

func (u *upstream) call(ctx context.Context, method string, body, dst []byte, segments ...string) (int, []byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	var rd io.Reader
	ct := ""
	if body != nil {
		rd, ct = bytes.NewReader(body), "application/json"
	}
	req, err := u.newRequest(ctx, method, u.url(segments...), rd, ct)
	if err != nil {
		return 0, dst, nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := u.client.Do(req)
	if err != nil {
		return 0, dst, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, dst, resp.Header, &errUpstreamStatus{Status: resp.StatusCode}
	}
	if resp.StatusCode == http.StatusNoContent {
		return resp.StatusCode, nil, resp.Header, nil
	}
	data, err := u.readJSON(resp, dst)
	return resp.StatusCode, data, resp.Header, err
}

// readJSON reads a JSON body, decoding gzip, refusing anything else, and
// appends it to dst (nil: a new buffer).
func (u *upstream) readJSON(resp *http.Response, dst []byte) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, fmt.Errorf("%w: content type %q", errBadUpstream, mt)
	}
	var rd io.Reader = resp.Body
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip":
		gz, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", errBadUpstream, err)
		}
		defer gz.Close()
		rd = gz
	default:
		return nil, fmt.Errorf("%w: content encoding", errBadUpstream)
	}
	if dst == nil {
		// Room for the whole body when its length is known (one more
		// byte, so that reading the end does not grow the buffer).
		n := int64(4 << 10)
		if resp.ContentLength > 0 && resp.ContentLength < u.maxBody && rd == resp.Body {
			n = resp.ContentLength + 1
		}
		dst = make([]byte, 0, n)
	}
	data, err := readAll(dst, io.LimitReader(rd, u.maxBody+1))
	if err != nil {
		return data, fmt.Errorf("%w: read: %v", errBadUpstream, err)
	}
	if int64(len(data)) > u.maxBody {
		return data, fmt.Errorf("%w: body larger than %d bytes", errBadUpstream, u.maxBody)
	}
	return data, nil
}

// stream sends a streamed body (an upload) or none, and returns the
// response for the caller to stream (a download). The caller closes it.
// The request's deadline is the caller's context: large transfers are not
// cut by the JSON timeout. Without a body (a download), the wait for
// TheHive's response headers is bounded by the timeout, so a TheHive that
// does not answer gives a 504 as for JSON calls; the body that follows is
// not bounded.
func (u *upstream) stream(ctx context.Context, method string, body io.Reader, contentType string, segments ...string) (*http.Response, error) {
	if body != nil || u.timeout <= 0 {
		req, err := u.newRequest(ctx, method, u.url(segments...), body, contentType)
		if err != nil {
			return nil, err
		}
		return u.client.Do(req)
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := u.newRequest(ctx, method, u.url(segments...), nil, contentType)
	if err != nil {
		cancel()
		return nil, err
	}
	timer := time.AfterFunc(u.timeout, cancel)
	resp, err := u.client.Do(req)
	if !timer.Stop() {
		cancel()
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("thehive sent no answer within %s: %w", u.timeout, context.DeadlineExceeded)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends a request's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// readAll is io.ReadAll appending to dst: with a pooled dst of the right
// size, a list is read without growing (and zeroing) a new buffer.
func readAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}
