package thehivetest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// apiClient sends requests to a Server with an API key.
type apiClient struct {
	tb  testing.TB
	srv *Server
	key string
	ua  string
}

func newClient(tb testing.TB, srv *Server, key string) *apiClient {
	return &apiClient{tb: tb, srv: srv, key: key}
}

// do sends a request; body may be nil, []byte (sent as is) or a value encoded as JSON.
func (c *apiClient) do(method, path string, body any, hdr ...string) (*http.Response, []byte) {
	c.tb.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			c.tb.Fatal(err)
		}
		rd, ctype = bytes.NewReader(enc), "application/json"
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.tb.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if c.ua != "" {
		req.Header.Set("User-Agent", c.ua)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatal(err)
	}
	return resp, out
}

// expect sends a request and fails unless the status is want; it returns the body.
func (c *apiClient) expect(want int, method, path string, body any, hdr ...string) []byte {
	c.tb.Helper()
	resp, out := c.do(method, path, body, hdr...)
	if resp.StatusCode != want {
		c.tb.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, want, out)
	}
	return out
}

// query posts a query pipeline and returns the decoded body and the response.
func (c *apiClient) query(want int, ops ...map[string]any) (any, *http.Response) {
	c.tb.Helper()
	resp, out := c.do("POST", "/api/v1/query", map[string]any{"query": ops})
	if resp.StatusCode != want {
		c.tb.Fatalf("query %v: status %d, want %d; body %s", ops, resp.StatusCode, want, out)
	}
	return decode(c.tb, out), resp
}

// ids returns the _id of each object of a decoded array.
func ids(tb testing.TB, v any) []string {
	tb.Helper()
	arr, ok := v.([]any)
	if !ok {
		tb.Fatalf("not an array: %v", v)
	}
	out := []string{}
	for _, o := range arr {
		out = append(out, o.(map[string]any)["_id"].(string))
	}
	return out
}

func decode(tb testing.TB, b []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("invalid JSON %q: %v", b, err)
	}
	return v
}

func obj(tb testing.TB, b []byte) map[string]any {
	tb.Helper()
	m, ok := decode(tb, b).(map[string]any)
	if !ok {
		tb.Fatalf("not an object: %s", b)
	}
	return m
}

func fixture(tb testing.TB, name string) any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return decode(tb, b)
}

func normalize(tb testing.TB, v any) any {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return decode(tb, b)
}

// assertEqualJSON fails unless got and want are the same JSON value.
func assertEqualJSON(tb testing.TB, what string, want, got any) {
	tb.Helper()
	w, g := normalize(tb, want), normalize(tb, got)
	if !reflect.DeepEqual(w, g) {
		wb, _ := json.MarshalIndent(w, "", " ")
		gb, _ := json.MarshalIndent(g, "", " ")
		tb.Fatalf("%s differs\nwant: %s\ngot:  %s", what, wb, gb)
	}
}

// assertShape fails unless got has the same structure as want: objects with the same
// key set, values of the same JSON type; each array element of got is compared with
// the first element of want.
func assertShape(tb testing.TB, path string, want, got any) {
	tb.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			tb.Fatalf("%s: got %T, want object", path, got)
		}
		if wk, gk := keys(w), keys(g); !reflect.DeepEqual(wk, gk) {
			tb.Fatalf("%s: keys %v, want %v", path, gk, wk)
		}
		for k, wv := range w {
			assertShape(tb, path+"."+k, wv, g[k])
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			tb.Fatalf("%s: got %T, want array", path, got)
		}
		for i, gv := range g {
			if len(w) > 0 {
				assertShape(tb, path+"["+itoa(int64(i))+"]", w[0], gv)
			}
		}
	default:
		if want != nil && got != nil && reflect.TypeOf(want) != reflect.TypeOf(got) {
			tb.Fatalf("%s: got %T, want %T", path, got, want)
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// part is one multipart part; filename "" makes a form field.
type part struct {
	name, filename, contentType, content string
}

func multipartBody(tb testing.TB, parts ...part) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="` + p.name + `"`
		if p.filename != "" {
			disp += `; filename="` + p.filename + `"`
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = io.Copy(w, strings.NewReader(p.content))
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts a multipart body.
func (c *apiClient) upload(want int, path string, parts ...part) []byte {
	c.tb.Helper()
	body, ctype := multipartBody(c.tb, parts...)
	return c.expect(want, "POST", path, body, "Content-Type", ctype)
}
