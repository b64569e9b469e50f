package proxy

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/internal/oidctest"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// attack is one adversarial attempt and its expected safe outcome.
type attack struct {
	name    string // "category: what"
	as      string // alice (bearer), browser (alice's session), mallory, anon
	method  string
	path    string
	ctype   string
	body    string
	headers map[string]string
	setup   func(e *env)
	want    int
	check   func(t *testing.T, e *env, r *response)
}

const (
	aliceCase   = thehivetest.CaseUserTagID // shared with alice by tag
	hiddenCase  = thehivetest.CaseInternalID
	hiddenCaseN = "50"
	jsonCT      = "application/json"
)

// attacks lists at least 60 attempts across SECURITY.md's categories and
// thehive-api.md §11.
func attacks() []attack {
	var list []attack
	list = append(list, pathAttacks()...)
	list = append(list, methodAttacks()...)
	list = append(list, queryAttacks()...)
	list = append(list, idorAttacks()...)
	list = append(list, responseAttacks()...)
	list = append(list, uploadAttacks()...)
	list = append(list, writeAttacks()...)
	list = append(list, headerAttacks()...)
	list = append(list, tokenAttacks()...)
	return list
}

func pathAttacks() []attack {
	g := func(name, path string) attack {
		return attack{name: "path: " + name, as: "alice", method: "GET", path: path, want: 404}
	}
	return []attack{
		g("percent-encoded tilde", "/api/v1/case/%7E42701"),
		g("encoded slash and dot segments", "/api/v1/case/~42001%2F..%2F~42701"),
		g("semicolon parameter", "/api/v1/case/~42001;x=1"),
		g("NUL byte", "/api/v1/case/~42001%00"),
		g("double encoding", "/api/v1/case/%257E42701"),
		g("trailing slash", "/api/v1/case/~42001/"),
		g("upper-case route", "/api/v1/CASE/~42001"),
		g("double slash", "/api/v1//case/~42001"),
		g("dot segment", "/api/v1/case/./~42701"),
		g("dot-dot segment", "/api/v1/case/../case/~42701"),
		g("v0 alias", "/api/case/~42701"),
		g("hash case number", "/api/v1/case/%2350"),
		g("WebDAV", "/fs/"),
		g("organisation attachment route", "/api/v1/attachment/~41404/download"),
		g("observable route", "/api/v1/observable/~41500"),
		g("audit stream", "/api/v1/stream"),
		g("case timeline", "/api/v1/case/~42001/timeline"),
		g("case export", "/api/v1/case/~42001/export"),
		g("backslash", "/api/v1/case/~42001%5C..%5C~42701"),
		g("leading zero id", "/api/v1/case/~042701"),
	}
}

func methodAttacks() []attack {
	return []attack{
		{name: "method: PATCH a case", as: "alice", method: "PATCH", path: "/api/v1/case/" + aliceCase, ctype: jsonCT, body: `{"status":"TruePositive"}`, want: 404},
		{name: "method: DELETE a case", as: "alice", method: "DELETE", path: "/api/v1/case/" + aliceCase, want: 404},
		{name: "method: PATCH a comment to external", as: "alice", method: "PATCH", path: "/api/v1/comment/~41245", ctype: jsonCT, body: `{"external":true}`, want: 404},
		{name: "method: change case access", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/access", ctype: jsonCT, body: `{"access":{"_kind":"AllExternalAccessKind"}}`, want: 404},
		{name: "method: PUT a case", as: "alice", method: "PUT", path: "/api/v1/case", ctype: jsonCT, body: `{}`, want: 404},
		{name: "method: override header", as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase,
			headers: map[string]string{"X-HTTP-Method-Override": "DELETE"}, want: 200,
			check: func(t *testing.T, e *env, _ *response) {
				if _, ok := e.sim.Case(aliceCase); !ok {
					t.Error("the case was deleted")
				}
			}},
		{name: "method: merge cases", as: "alice", method: "POST", path: "/api/v1/case/_merge/~42001,~42701", want: 404},
		{name: "method: bulk update", as: "alice", method: "PATCH", path: "/api/v1/case/_bulk", ctype: jsonCT, body: `{"ids":["~42701"],"status":"Other"}`, want: 404},
	}
}

func queryAttack(name, body string) attack {
	return attack{name: "query: " + name, as: "alice", method: "POST", path: "/api/v1/query", ctype: jsonCT, body: body, want: 400,
		check: func(t *testing.T, _ *env, r *response) {
			if gjson.GetBytes(r.body, "type").Str != "BadRequest" {
				t.Errorf("want TheHive's BadRequest shape, got %s", r.body)
			}
		}}
}

func queryAttacks() []attack {
	return []attack{
		queryAttack("all comments of the org", `{"query":[{"_name":"listComment"}]}`),
		queryAttack("all observables", `{"query":[{"_name":"listObservable"}]}`),
		queryAttack("alerts", `{"query":[{"_name":"listAlert"}]}`),
		queryAttack("audits", `{"query":[{"_name":"listAudit"}]}`),
		queryAttack("tasks of a shared case", `{"query":[{"_name":"getCase","idOrName":"~42001"},{"_name":"tasks"}]}`),
		queryAttack("audits from context", `{"query":[{"_name":"getCase","idOrName":"~42001"},{"_name":"auditsFromContext"}]}`),
		queryAttack("all comments incl. alerts", `{"query":[{"_name":"getCase","idOrName":"~42001"},{"_name":"allComments"}]}`),
		queryAttack("filter on hidden tags", `{"query":[{"_name":"listCase"},{"_name":"filter","_like":{"_field":"tags","_value":"*internal*"}},{"_name":"count"}]}`),
		queryAttack("filter on access", `{"query":[{"_name":"listCase"},{"_name":"filter","_eq":{"_field":"access._kind","_value":"OrganisationAccessKind"}}]}`),
		queryAttack("filter on external flag", `{"query":[{"_name":"getCase","idOrName":"~42001"},{"_name":"comments"},{"_name":"filter","_eq":{"_field":"external","_value":false}},{"_name":"count"}]}`),
		queryAttack("sort on assignee", `{"query":[{"_name":"listCase"},{"_name":"sort","_fields":[{"assignee":"asc"}]}]}`),
		queryAttack("extraData permissions", `{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":10,"extraData":["permissions"]}]}`),
		queryAttack("duplicate query key", `{"query":[{"_name":"listCase"}],"query":[{"_name":"listComment"}]}`),
		queryAttack("duplicate _name", `{"query":[{"_name":"getCase","_name":"listComment","idOrName":"~42001"}]}`),
		queryAttack("case variant _NAME", `{"query":[{"_NAME":"listComment"}]}`),
		queryAttack("aggregation oracle", `{"query":[{"_name":"listCase"},{"_name":"aggregation","_agg":"field","_field":"tags"}]}`),
		queryAttack("hash id", `{"query":[{"_name":"getCase","idOrName":"#50"}]}`),
		{name: "query: unknown query-string key", as: "alice", method: "POST", path: "/api/v1/query?name=cases&_name=listComment",
			ctype: jsonCT, body: `{"query":[{"_name":"listCase"}]}`, want: 400},
		queryAttack("huge page", `{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":100000}]}`),
	}
}

func idorAttacks() []attack {
	nf := func(name, method, path, ct, body, as string) attack {
		return attack{name: "idor: " + name, as: as, method: method, path: path, ctype: ct, body: body, want: 404,
			check: func(t *testing.T, _ *env, r *response) {
				if strings.Contains(path, "/attachment/") {
					return
				}
				checkUniform404(t, r, path)
			}}
	}
	return []attack{
		nf("internal case by id", "GET", "/api/v1/case/"+hiddenCase, "", "", "alice"),
		nf("internal case by number", "GET", "/api/v1/case/"+hiddenCaseN, "", "", "alice"),
		nf("missing case", "GET", "/api/v1/case/~99999999", "", "", "alice"),
		nf("another client's case", "GET", "/api/v1/case/"+thehivetest.CaseRivalID, "", "", "alice"),
		nf("hidden attachment of a shared case", "GET", "/api/v1/case/"+thehivetest.Case42ID+"/attachment/"+thehivetest.Attachment42Internal+"/download", "", "", "jane"),
		nf("attachment of another case through a shared one", "GET", "/api/v1/case/"+aliceCase+"/attachment/"+thehivetest.Attachment42External+"/download", "", "", "alice"),
		nf("comment on another client's case", "POST", "/api/v1/case/"+aliceCase+"/comment", jsonCT, `{"message":"hi"}`, "mallory"),
		nf("observable on a hidden case", "POST", "/api/v1/case/"+hiddenCase+"/observable", jsonCT, `{"dataType":"ip","data":"1.2.3.4"}`, "alice"),
		{name: "idor: children of a hidden case by number", as: "alice", method: "POST", path: "/api/v1/query", ctype: jsonCT,
			body: `{"query":[{"_name":"getCase","idOrName":50},{"_name":"comments"}]}`, want: 200,
			check: func(t *testing.T, _ *env, r *response) {
				if string(r.body) != "[]" {
					t.Errorf("want [], got %s", r.body)
				}
			}},
	}
}

func hook(fn func(status int, h http.Header, body []byte) (int, []byte)) func(e *env) {
	return func(e *env) {
		e.sim.SetResponseHook(func(r *http.Request, status int, h http.Header, body []byte) (int, []byte) {
			if r.URL.Path == "/api/v1/case/"+aliceCase {
				return fn(status, h, body)
			}
			return status, body
		})
	}
}

func responseAttacks() []attack {
	get := func(name string, setup func(*env), want int) attack {
		return attack{name: "response: " + name, as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase, setup: setup, want: want,
			check: func(t *testing.T, _ *env, r *response) {
				if want >= 500 && strings.TrimSpace(string(r.body)) != `{"type":"InternalError","message":"Upstream error"}` {
					t.Errorf("want the generic upstream error, got %s", r.body)
				}
			}}
	}
	return []attack{
		get("gzip answer is decoded and filtered", hook(func(s int, h http.Header, b []byte) (int, []byte) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			_, _ = zw.Write(b)
			_ = zw.Close()
			h.Set("Content-Encoding", "gzip")
			return s, buf.Bytes()
		}), 200),
		get("brotli answer", hook(func(s int, h http.Header, b []byte) (int, []byte) { h.Set("Content-Encoding", "br"); return s, b }), 502),
		get("truncated JSON", hook(func(s int, _ http.Header, b []byte) (int, []byte) { return s, b[:len(b)/2] }), 502),
		get("duplicate access key granting", hook(func(s int, _ http.Header, b []byte) (int, []byte) {
			return s, append([]byte(`{"access":{"_kind":"AllExternalAccessKind"},`), b[1:]...)
		}), 502),
		get("HTML content type", hook(func(s int, h http.Header, b []byte) (int, []byte) { h.Set("Content-Type", "text/html"); return s, b }), 502),
		get("another case's JSON", hook(func(s int, _ http.Header, b []byte) (int, []byte) {
			return s, bytes.Replace(b, []byte(aliceCase), []byte("~42702"), 1)
		}), 502),
		get("upstream 500 with a body", hook(func(int, http.Header, []byte) (int, []byte) {
			return 500, []byte(`{"type":"InternalError","message":"CANARY-upstream-error-body"}`)
		}), 502),
		get("deeply nested answer", hook(func(s int, _ http.Header, b []byte) (int, []byte) {
			return s, append([]byte(`{"x":`+strings.Repeat("[", 500)+strings.Repeat("]", 500)+`,`), b[1:]...)
		}), 502),
	}
}

func uploadAttacks() []attack {
	mp := func(field, name, content string) (string, string) {
		var buf bytes.Buffer
		ct, b := multipartBodyRaw(field, name, content, &buf)
		return ct, b
	}
	ct1, b1 := mp("file", "x.txt", "data")
	ct2, b2 := mp("attachments", "../../etc/passwd", "root:x")
	ct3, b3 := mp("_json", "", `{"dataType":"file","attachment":{"id":"eebcf35392066852e1e8a38c43423975bfdbc39669c3b0789bfd893fbdf10bbf"}}`)
	return []attack{
		{name: "upload: wrong part name", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/attachments", ctype: ct1, body: b1, want: 400},
		{name: "upload: path traversal in the file name", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/attachments", ctype: ct2, body: b2, want: 201,
			check: func(t *testing.T, _ *env, r *response) {
				if n := gjson.GetBytes(r.body, "attachments.0.name").Str; n != "passwd" {
					t.Errorf("stored name %q", n)
				}
			}},
		{name: "upload: observable referencing an internal file by hash", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/observable", ctype: ct3, body: b3, want: 400},
		{name: "upload: JSON observable with an attachment reference", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/observable", ctype: jsonCT,
			body: `{"dataType":"file","attachment":{"name":"x","contentType":"text/plain","id":"eebcf35392066852e1e8a38c43423975bfdbc39669c3b0789bfd893fbdf10bbf"}}`, want: 400},
		{name: "upload: not multipart", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/attachments", ctype: jsonCT, body: `{}`, want: 400},
		{name: "upload: form-encoded comment", as: "alice", method: "POST", path: "/api/v1/case/" + aliceCase + "/comment", ctype: "application/x-www-form-urlencoded", body: "message=hi&external=true", want: 400},
	}
}

func writeAttacks() []attack {
	w := func(name, path, body string, want int, check func(*testing.T, *env, *response)) attack {
		return attack{name: "write: " + name, as: "alice", method: "POST", path: path, ctype: jsonCT, body: body, want: want, check: check}
	}
	cm := "/api/v1/case/" + aliceCase + "/comment"
	ob := "/api/v1/case/" + aliceCase + "/observable"
	return []attack{
		w("case with assignee", "/api/v1/case", `{"title":"t","description":"d","assignee":"analyst@example.org"}`, 400, nil),
		w("case with access", "/api/v1/case", `{"title":"t","description":"d","access":{"_kind":"AllExternalAccessKind"}}`, 400, nil),
		w("case with custom fields", "/api/v1/case", `{"title":"t","description":"d","customFields":{"business-unit":"x"}}`, 400, nil),
		w("case with tlp", "/api/v1/case", `{"title":"t","description":"d","tlp":0}`, 400, nil),
		w("case without description", "/api/v1/case", `{"title":"t"}`, 400, nil),
		w("comment with external false", cm, `{"message":"x","external":false}`, 400, nil),
		w("comment forging another author", cm, `{"message":"[external] [EXTERNAL] _Posted by ceo@acme.example through the external portal._\n\nPlease wire the money"}`, 201,
			func(t *testing.T, _ *env, r *response) {
				if gjson.GetBytes(r.body, "createdBy").Str != thehivetest.AliceEmail || strings.Contains(gjson.GetBytes(r.body, "message").Str, "_Posted by ceo") {
					t.Errorf("forged attribution survived: %s", r.body)
				}
			}),
		w("comment with an escaped marker", cm, `{"message":"\u005bexternal] hi"}`, 201, func(t *testing.T, _ *env, r *response) {
			if gjson.GetBytes(r.body, "message").Str != "hi" {
				t.Errorf("message %s", r.body)
			}
		}),
		w("observable with tlp", ob, `{"dataType":"ip","data":"1.2.3.4","tlp":4}`, 400, nil),
		w("observable with share tags", ob, `{"dataType":"ip","data":"1.2.3.4","tags":["portal:by=mallory@rival.example.net"]}`, 400, nil),
		w("observable of a type not allowed", ob, `{"dataType":"autonomous-system","data":"AS1"}`, 400, nil),
		w("case with a forged share tag", "/api/v1/case", `{"title":"t","description":"d","tags":["portal:user=mallory@rival.example.net","Portal:group=x","ok"]}`, 400, nil),
		w("duplicate keys in a body", cm, `{"message":"a","message":"b"}`, 400, nil),
		w("huge body", cm, `{"message":"`+strings.Repeat("a", 2<<20)+`"}`, 413, nil),
	}
}

func headerAttacks() []attack {
	return []attack{
		{name: "headers: another organisation", as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"X-Organisation": "other-org"}, want: 200},
		{name: "headers: TheHive session cookie", as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"Cookie": "THEHIVE-SESSION=abc"}, want: 200},
		{name: "headers: header auth identity", as: "alice", method: "GET", path: "/api/v1/case/" + hiddenCase, headers: map[string]string{"X-USERID": "analyst@example.org"}, want: 404},
		{name: "headers: hop-by-hop removal trick", as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"Connection": "Authorization, X-Organisation"}, want: 200},
		{name: "headers: query string smuggling", as: "alice", method: "GET", path: "/api/v1/case/" + aliceCase + "?status=Resolved", want: 400},
	}
}

func tokenAttacks() []attack {
	tok := func(name string, mint func(e *env) string) attack {
		a := attack{name: "token: " + name, method: "GET", path: "/api/v1/case/" + aliceCase, want: 401}
		a.as = "token:" + name
		a.setup = func(e *env) { e.tokens[a.as] = mint(e) }
		return a
	}
	c := func(e *env) oidctest.Claims {
		return oidctest.Claims{Subject: "sub-alice", Email: thehivetest.AliceEmail, EmailVerified: true}
	}
	return []attack{
		tok("expired", func(e *env) string { return e.idp.ExpiredToken(e.t, c(e)) }),
		tok("wrong audience", func(e *env) string { return e.idp.WrongAudienceToken(e.t, c(e)) }),
		tok("other issuer", func(e *env) string { return e.idp.OtherIssuerToken(e.t, c(e)) }),
		tok("alg none", func(e *env) string { return e.idp.TokenAlgNone(e.t, c(e)) }),
		tok("HS256 with the public key", func(e *env) string { return e.idp.TokenHS256PublicKey(e.t, c(e)) }),
		tok("signed by another key", func(e *env) string { return e.idp.TokenOtherKey(e.t, c(e)) }),
		tok("email not verified", func(e *env) string {
			cl := c(e)
			cl.EmailVerified = false
			return e.idp.Token(e.t, cl)
		}),
		tok("oversized", func(e *env) string { return e.idp.TokenOversized(e.t, c(e), 64<<10) }),
		tok("garbage", func(*env) string { return "not.a.token" }),
		{name: "token: basic auth", as: "anon", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"Authorization": "Basic YWxpY2U6cGFzcw=="}, want: 401},
		{name: "token: lower-case scheme", as: "anon", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"Authorization": "bearer x.y.z"}, want: 401},
		{name: "token: no credentials", as: "anon", method: "GET", path: "/api/v1/case/" + aliceCase, want: 401},
		{name: "token: forged session cookie", as: "anon", method: "GET", path: "/api/v1/case/" + aliceCase, headers: map[string]string{"Cookie": "portal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, want: 401},
	}
}
