package proxy

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// upstreamError is the portal's one answer for a TheHive failure: generic,
// without anything TheHive said.
const upstreamErrorBody = `{"type":"InternalError","message":"Upstream error"}`

// checkUpstreamFailure checks an API answer to a failed TheHive: the
// wanted status, the generic JSON error, nothing of TheHive's answer.
func checkUpstreamFailure(t *testing.T, what string, status int, body []byte, want ...int) {
	t.Helper()
	ok := false
	for _, w := range want {
		ok = ok || status == w
	}
	if !ok {
		t.Errorf("%s: %d %s, want %v", what, status, short(string(body)), want)
		return
	}
	if got := strings.TrimSpace(string(body)); got != upstreamErrorBody {
		t.Errorf("%s: body %s, want %s", what, short(got), upstreamErrorBody)
	}
}

// checkErrorPage checks a browser navigation's answer to a failed TheHive:
// an HTML page with the status, and none of TheHive's words.
func checkErrorPage(t *testing.T, what string, status int, body []byte, hdr http.Header, want int) {
	t.Helper()
	if status != want {
		t.Errorf("%s: %d, want %d: %s", what, status, want, short(string(body)))
	}
	if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: content type %q, want an HTML page", what, ct)
	}
	for _, s := range []string{"Simulated fault", "InternalError", "thehive answered", "context deadline", "connection refused"} {
		if strings.Contains(string(body), s) {
			t.Errorf("%s: the page shows %q", what, s)
		}
	}
}

func (c *client) page(path string) (*response, error) {
	req, err := http.NewRequest("GET", c.e.url+path, nil)
	if err != nil {
		return nil, err
	}
	c.authorize(req)
	for k, v := range navigate {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return &response{Response: resp, body: data}, err
}

var (
	visibleDownload = "/api/v1/case/" + thehivetest.Case42ID + "/attachment/" + thehivetest.Attachment42External + "/download"
	janeComments    = `{"query":[{"_name":"getCase","idOrName":"` + thehivetest.Case42ID + `"},{"_name":"comments"}]}`
)

// TestFaultTheHiveSlow: with upstream.timeout 1s, a TheHive slower than that
// gives a JSON 504 to the API (a page to a browser's navigation), quickly,
// with nothing of TheHive's answer; a TheHive just below the timeout
// serves as usual; the portal recovers when TheHive is fast again.
func TestFaultTheHiveSlow(t *testing.T) {
	e := newEnv(t, withYAML("upstream:\n  timeout: 1s\n"))
	jane := e.bearer(thehivetest.JaneEmail)
	browser := e.browser(thehivetest.JaneEmail)
	calls := map[string]func() (int, []byte, error){
		"get case": func() (int, []byte, error) {
			return jane.try("GET", "/api/v1/case/"+thehivetest.Case42ID, "", nil, nil)
		},
		"comments": func() (int, []byte, error) {
			return jane.try("POST", "/api/v1/query", "application/json", strings.NewReader(janeComments), nil)
		},
		"download": func() (int, []byte, error) { return jane.try("GET", visibleDownload, "", nil, nil) },
		"hidden case": func() (int, []byte, error) {
			return jane.try("GET", "/api/v1/case/"+thehivetest.Case41ID, "", nil, nil)
		},
		"session get case": func() (int, []byte, error) {
			return browser.try("GET", "/api/v1/case/"+thehivetest.Case42ID, "", nil, nil)
		},
	}

	e.sim.SetLatency(300 * time.Millisecond) // below the timeout
	var below sync.WaitGroup
	for name, call := range calls {
		below.Go(func() {
			status, body, err := call()
			want := http.StatusOK
			if name == "hidden case" {
				want = http.StatusNotFound
			}
			if err != nil || status != want {
				t.Errorf("%s below the timeout: %d %v %s", name, status, err, short(string(body)))
			}
		})
	}
	below.Wait()

	e.sim.SetLatency(1500 * time.Millisecond) // above it
	var wg sync.WaitGroup
	for name, call := range calls {
		wg.Go(func() {
			start := time.Now()
			status, body, err := call()
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			// A hidden case is decided by TheHive too: it times out the
			// same way, and a 504 says nothing about the case.
			checkUpstreamFailure(t, name+" above the timeout", status, body, http.StatusGatewayTimeout)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s: answered after %s with a 1s timeout", name, d)
			}
		})
	}
	wg.Wait()
	for _, p := range []string{"/cases", "/cases/" + thehivetest.Case42ID} {
		r, err := browser.page(p)
		if err != nil {
			t.Fatal(err)
		}
		checkErrorPage(t, "page "+p+" above the timeout", r.StatusCode, r.body, r.Header, http.StatusGatewayTimeout)
	}

	e.sim.ClearFaults()
	if r := jane.getJSON("/api/v1/case/" + thehivetest.Case42ID); r.StatusCode != http.StatusOK {
		t.Errorf("after TheHive is fast again: %d %s", r.StatusCode, r.body)
	}
}

// TestFaultTheHiveErrors: TheHive answering 503 (or 500) to everything gives
// 502 with the generic JSON error, never a 200, never TheHive's words; a
// browser's navigation gets a page; the portal recovers at once.
func TestFaultTheHiveErrors(t *testing.T) {
	e := newEnv(t)
	jane := e.bearer(thehivetest.JaneEmail)
	browser := e.browser(thehivetest.JaneEmail)
	for _, code := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError} {
		e.sim.SetResponseHook(func(r *http.Request, _ int, h http.Header, _ []byte) (int, []byte) {
			h.Set("Content-Type", "application/json")
			h.Del("Content-Disposition")
			return code, []byte(`{"type":"InternalError","message":"Simulated fault: TheHive says ` + thehivetest.ServiceKey + `"}`)
		})
		for name, r := range map[string]func() (int, []byte, error){
			"get case": func() (int, []byte, error) {
				return jane.try("GET", "/api/v1/case/"+thehivetest.Case42ID, "", nil, nil)
			},
			"comments": func() (int, []byte, error) {
				return jane.try("POST", "/api/v1/query", "application/json", strings.NewReader(janeComments), nil)
			},
			"download": func() (int, []byte, error) { return jane.try("GET", visibleDownload, "", nil, nil) },
			"comment": func() (int, []byte, error) {
				return jane.try("POST", "/api/v1/case/"+thehivetest.Case42ID+"/comment", "application/json", strings.NewReader(`{"message":"hello"}`), nil)
			},
			"session": func() (int, []byte, error) {
				return browser.try("GET", "/api/v1/case/"+thehivetest.Case42ID, "", nil, nil)
			},
		} {
			status, body, err := r()
			if err != nil {
				t.Fatal(err)
			}
			checkUpstreamFailure(t, name+" with TheHive answering "+http.StatusText(code), status, body, http.StatusBadGateway)
		}
		p, err := browser.page("/cases/" + thehivetest.Case42ID)
		if err != nil {
			t.Fatal(err)
		}
		checkErrorPage(t, "case page", p.StatusCode, p.body, p.Header, http.StatusBadGateway)
	}
	e.sim.ClearFaults()
	if r := jane.getJSON("/api/v1/case/" + thehivetest.Case42ID); r.StatusCode != http.StatusOK {
		t.Errorf("after TheHive is back: %d %s", r.StatusCode, r.body)
	}
}

// TestFaultTheHiveDown: TheHive's port closed (connection refused, open
// connections cut) gives 502 JSON to every API request, never a 200 or a
// 500; the portal serves again as soon as TheHive is back, on the same
// address, without a restart.
func TestFaultTheHiveDown(t *testing.T) {
	e := newEnv(t)
	front := startFront(t, strings.TrimPrefix(e.sim.URL, "http://"))
	// A portal on the same store, IdP and logs, whose upstream is the
	// front that can be closed.
	e2 := e.clone(func(c *config.Config) { c.Upstream.URL = "http://" + front.addr }, nil)
	jane := e2.bearer(thehivetest.JaneEmail)

	requests := map[string]func() (int, []byte, error){
		"get case": func() (int, []byte, error) {
			return jane.try("GET", "/api/v1/case/"+thehivetest.Case42ID, "", nil, nil)
		},
		"hidden": func() (int, []byte, error) {
			return jane.try("GET", "/api/v1/case/"+thehivetest.Case41ID, "", nil, nil)
		},
		"comments": func() (int, []byte, error) {
			return jane.try("POST", "/api/v1/query", "application/json", strings.NewReader(janeComments), nil)
		},
		"download": func() (int, []byte, error) { return jane.try("GET", visibleDownload, "", nil, nil) },
		"comment": func() (int, []byte, error) {
			return jane.try("POST", "/api/v1/case/"+thehivetest.Case42ID+"/comment", "application/json", strings.NewReader(`{"message":"hello"}`), nil)
		},
	}
	check := func(phase string, up bool) {
		for name, r := range requests {
			status, body, err := r()
			if err != nil {
				t.Fatalf("%s %s: %v", phase, name, err)
			}
			switch {
			case !up:
				checkUpstreamFailure(t, phase+" "+name, status, body, http.StatusBadGateway, http.StatusServiceUnavailable)
			case name == "hidden" && status != http.StatusNotFound:
				t.Errorf("%s %s: %d", phase, name, status)
			case name == "comment" && status != http.StatusCreated:
				t.Errorf("%s %s: %d %s", phase, name, status, short(string(body)))
			case name != "hidden" && name != "comment" && status != http.StatusOK:
				t.Errorf("%s %s: %d %s", phase, name, status, short(string(body)))
			}
		}
	}
	check("before", true)
	front.down()
	check("down", false)
	front.up(t)
	check("back", true)
}

// front is a TCP relay to TheHive that can be closed and opened again on
// the same address: "down" is a refused connection, not an error answer.
type front struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]bool
	wg           sync.WaitGroup
}

func startFront(t *testing.T, target string) *front {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &front{addr: ln.Addr().String(), target: target, conns: map[net.Conn]bool{}}
	f.serve(ln)
	t.Cleanup(func() { f.down(); f.wg.Wait() })
	return f
}

func (f *front) up(t *testing.T) {
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	f.serve(ln)
}

func (f *front) serve(ln net.Listener) {
	f.mu.Lock()
	f.ln = ln
	f.mu.Unlock()
	f.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.relay(c)
		}
	})
}

func (f *front) relay(c net.Conn) {
	f.mu.Lock()
	f.conns[c] = true
	f.mu.Unlock()
	f.wg.Go(func() {
		defer func() {
			f.mu.Lock()
			delete(f.conns, c)
			f.mu.Unlock()
			c.Close()
		}()
		u, err := net.Dial("tcp", f.target)
		if err != nil {
			return
		}
		defer u.Close()
		go func() { _, _ = io.Copy(u, c); u.Close() }()
		_, _ = io.Copy(c, u)
	})
}

// down closes the port and cuts every open connection.
func (f *front) down() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ln != nil {
		f.ln.Close()
		f.ln = nil
	}
	for c := range f.conns {
		c.Close()
	}
}
