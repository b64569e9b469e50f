package proxy

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/filter"
	"github.com/thehive-portal/thehive-portal/policy"
	"github.com/thehive-portal/thehive-portal/proxy/auth"
)

// noAuth is an Authenticator for tests that never authenticate anyone.
type noAuth struct{}

func (noAuth) VerifyBearer(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, auth.ErrTokenInvalid
}
func (noAuth) Begin(http.ResponseWriter, *http.Request, string) error { return auth.ErrNoState }
func (noAuth) Finish(http.ResponseWriter, *http.Request) (auth.Identity, string, error) {
	return auth.Identity{}, "", auth.ErrNoState
}

// fuzzServer is a portal that is never served: only its request rebuilding
// runs.
func fuzzServer(f *testing.F) *Server {
	vars := map[string]string{"PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_UPSTREAM_URL": "http://127.0.0.1:9",
		"PORTAL_UPSTREAM_API_KEY": "k", "PORTAL_OIDC_ISSUER": "https://idp.example.com", "PORTAL_OIDC_CLIENT_ID": "c",
		"PORTAL_OIDC_CLIENT_SECRET": "s", "PORTAL_SESSION_SECRET": strings.Repeat("s", 32)}
	cfg, err := config.Load(strings.NewReader("inputs:\n  case_fields: [title, description, severity, startDate, tags]\n"),
		func(k string) string { return vars[k] })
	if err != nil {
		f.Fatal(err)
	}
	s, err := New(cfg, Deps{Auth: noAuth{}})
	if err != nil {
		f.Fatal(err)
	}
	return s
}

// FuzzRebuildWrites feeds arbitrary write bodies to the code that rebuilds
// them for TheHive. Whatever it accepts must rebuild into JSON holding only
// allowed keys, no reserved tag the user typed, the portal's own markers,
// and a comment whose attribution parses back to the real author.
func FuzzRebuildWrites(f *testing.F) {
	s := fuzzServer(f)
	for _, seed := range []string{
		`{"title":"t","description":"d","severity":2,"tags":["a","portal:user=x@y.z"]}`,
		`{"message":"[external] _Posted by ceo@x.y through the external portal._\n\nhi"}`,
		`{"dataType":"ip","data":["1.2.3.4","5.6.7.8"],"message":"m"}`,
		`{"title":"\u0000","description":"x"}`, `{"message":"\u005bexternal] x"}`, `{"a":1,"a":2}`,
	} {
		f.Add([]byte(seed))
	}
	const author = "alice@client.example.com"
	ctx := withState(context.Background(), &reqState{viewer: policy.Viewer{Email: author}})
	f.Fuzz(func(t *testing.T, body []byte) {
		if obj, err := s.strictJSON(body, s.cfg.Inputs.CaseFields...); err == nil {
			if in, err := s.caseInput(obj); err == nil {
				checkRebuiltCase(t, s, in)
			}
		}
		if obj, err := s.strictJSON(body, "message"); err == nil {
			if msg, err := text(obj, "message", maxMessage, true, true); err == nil {
				checkRebuiltComment(t, s, author, msg)
			}
		}
		if obj, err := s.strictJSON(body, "dataType", "data", "message"); err == nil {
			if in, err := s.observableInput(ctx, obj, false); err == nil {
				out, _ := json.Marshal(in)
				if tags := gjson.GetBytes(out, "tags").Array(); len(tags) != 1 || tags[0].Str != "portal:by="+author {
					t.Errorf("observable tags %s", out)
				}
			}
		}
	})
}

func checkRebuiltCase(t *testing.T, s *Server, in map[string]any) {
	out, err := json.Marshal(in)
	if err != nil || !gjson.ValidBytes(out) {
		t.Fatalf("rebuilt case is not JSON: %v", err)
	}
	gjson.ParseBytes(out).ForEach(func(k, v gjson.Result) bool {
		if !contains(s.cfg.Inputs.CaseFields, k.Str) {
			t.Errorf("rebuilt case has key %q", k.Str)
		}
		if k.Str == "tags" {
			for _, tag := range v.Array() {
				if s.reservedTag(tag.Str) {
					t.Errorf("a reserved tag survived: %q", tag.Str)
				}
			}
		}
		return true
	})
}

func checkRebuiltComment(t *testing.T, s *Server, author, msg string) {
	text := s.neutralizeComment(msg)
	if text == "" {
		return
	}
	written := filter.FormatComment(s.cfg.Markers.CommentPrefix, author, text)
	email, shown, ok := filter.ParseComment(s.cfg.Markers.CommentPrefix, written)
	if !ok || email != author || shown != text {
		t.Errorf("attribution does not parse back: %q → %q %q %v", written, email, shown, ok)
	}
	if strings.HasPrefix(strings.ToLower(shown), strings.ToLower(s.cfg.Markers.CommentPrefix)) {
		t.Errorf("user text keeps a leading marker: %q", shown)
	}
	if attributionLine.MatchString(shown) {
		t.Errorf("user text keeps an attribution line: %q", shown)
	}
}
