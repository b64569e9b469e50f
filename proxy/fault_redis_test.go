package proxy

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
	"github.com/thehive-portal/thehive-portal/proxy/store"
)

// TestFaultRedisRestartDuringLoad runs bearer and browser clients against a
// portal on its own Redis server, kills Redis in the middle of the run and
// starts it again on the same port, and checks:
//
//   - no request ever gains access: hidden cases answer 404 (bearer) or an
//     error (session), their comments [], in every phase; every answer is
//     scanned for canaries by the harness;
//   - session requests made while Redis is down answer 503: the portal
//     cannot know the session, so it fails closed without signing anyone
//     out (a 401 would drop the cookie on a short outage);
//   - after the restart the sessions are gone with the data of the dead
//     Redis (no persistence here), so session requests answer 401 and the
//     browser signs in again; a 401 is the truthful answer then;
//   - bearer requests keep working throughout: the share cache falls back
//     to TheHive, and visible data stays the same;
//   - the portal recovers without a restart: new sign-ins work and cache
//     writes land in the new Redis.
func TestFaultRedisRestartDuringLoad(t *testing.T) {
	port, stop := startRedis(t)
	kv, err := store.NewRedis(store.RedisOptions{URL: "redis://127.0.0.1:" + port + "/0", Prefix: "portal-restart-test:", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kv.Close() })
	e := newEnv(t, withKV(kv), withYAML("cache:\n  ttl: 1h\n"))

	type persona struct {
		email   string
		groups  []string
		visible string
	}
	personas := []persona{
		{thehivetest.AliceEmail, nil, thehivetest.CaseUserTagID},
		{thehivetest.HarrietEmail, []string{thehivetest.HRGroup}, thehivetest.CaseGroupTagID},
	}
	hidden := []string{thehivetest.CaseInternalID, thehivetest.CaseRivalID, thehivetest.CaseNearMissID, thehivetest.CaseRestrictedID}
	type user struct {
		persona
		c       *client
		browser bool
		// baseline comments of the visible case
		comments string
	}
	var users []*user
	for _, p := range personas {
		b := e.bearer(p.email, p.groups...)
		base := commentsOf(b, p.visible)
		if base == "[]" || !strings.HasPrefix(base, "[") {
			t.Fatalf("%s sees no comments on %s before the fault: %s", p.email, p.visible, base)
		}
		users = append(users, &user{persona: p, c: b, comments: base},
			&user{persona: p, c: e.browser(p.email, p.groups...), browser: true, comments: base})
	}

	var killAt, restartAt time.Time
	var out outcomes
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		runLoad(ctx, 4*len(users), func(w, i int) {
			u := users[w%len(users)]
			target := u.visible
			if i%2 == 1 {
				target = hidden[(w+i)%len(hidden)]
			}
			o := outcome{who: u.email, start: time.Now()}
			var b []byte
			if i%4 < 2 {
				o.what = "case " + target
				o.status, b, o.err = u.c.try("GET", "/api/v1/case/"+target, "", nil, nil)
			} else {
				o.what = "comments " + target
				o.status, b, o.err = u.c.try("POST", "/api/v1/query", "application/json",
					strings.NewReader(`{"query":[{"_name":"getCase","idOrName":"`+target+`"},{"_name":"comments"}]}`), nil)
			}
			o.body = string(b)
			o.end = time.Now()
			if u.browser {
				o.who = "session " + o.who
			} else {
				o.who = "bearer " + o.who
			}
			out.add(o)
		})
	}()

	time.Sleep(1200 * time.Millisecond)
	killAt = time.Now()
	stop()
	time.Sleep(1500 * time.Millisecond)
	restartRedis(t, port)
	restartAt = time.Now()
	time.Sleep(2 * time.Second)
	cancel()
	<-done

	isVisible := func(o outcome) (visible bool, u *user) {
		for _, x := range users {
			if strings.HasSuffix(o.who, x.email) {
				u = x
			}
		}
		return strings.HasSuffix(o.what, " "+u.visible), u
	}
	grace := time.Second // the pool redials after the restart
	counts := map[string]int{}
	for _, o := range out.all {
		if o.err != nil {
			t.Errorf("%s %s: %v", o.who, o.what, o.err)
			continue
		}
		visible, u := isVisible(o)
		comments := strings.HasPrefix(o.what, "comments")
		session := strings.HasPrefix(o.who, "session")
		phase := "straddling"
		switch {
		case o.end.Before(killAt):
			phase = "before"
		case o.start.After(killAt) && o.end.Before(restartAt):
			phase = "down"
		case o.start.After(restartAt.Add(grace)):
			phase = "after"
		}
		counts[phase]++
		// Never access to a hidden case, whatever the phase.
		if !visible {
			if !comments && o.status == http.StatusOK {
				t.Errorf("%s %s (%s): hidden case answered 200: %s", o.who, o.what, phase, short(o.body))
			}
			if comments && o.status == http.StatusOK && o.body != "[]" {
				t.Errorf("%s %s (%s): hidden comments: %s", o.who, o.what, phase, short(o.body))
			}
		}
		if o.status >= 400 && !isAPIErrorJSON(o.body) {
			t.Errorf("%s %s (%s): %d is not a JSON error: %s", o.who, o.what, phase, o.status, short(o.body))
		}
		if !session {
			// Bearer: unaffected by the outage.
			switch {
			case !visible && !comments && o.status != http.StatusNotFound:
				t.Errorf("%s %s (%s): %d, want 404", o.who, o.what, phase, o.status)
			case !visible && comments && (o.status != http.StatusOK || o.body != "[]"):
				t.Errorf("%s %s (%s): %d %s, want 200 []", o.who, o.what, phase, o.status, short(o.body))
			case visible && o.status != http.StatusOK:
				t.Errorf("%s %s (%s): %d %s, want 200", o.who, o.what, phase, o.status, short(o.body))
			case visible && comments && o.body != u.comments:
				t.Errorf("%s %s (%s): comments changed: %s", o.who, o.what, phase, short(o.body))
			}
			continue
		}
		want := map[int]bool{}
		switch phase {
		case "before":
			want[http.StatusOK], want[http.StatusNotFound] = visible || comments, !visible && !comments
		case "down":
			want[http.StatusServiceUnavailable] = true
		case "after":
			want[http.StatusUnauthorized] = true
		default:
			want[http.StatusServiceUnavailable], want[http.StatusUnauthorized] = true, true
			want[http.StatusOK] = visible || comments
			want[http.StatusNotFound] = !visible && !comments
		}
		if !want[o.status] {
			t.Errorf("%s %s (%s): %d %s", o.who, o.what, phase, o.status, short(o.body))
		}
		if o.status == http.StatusOK && comments && !visible && o.body != "[]" {
			t.Errorf("%s %s (%s): hidden comments %s", o.who, o.what, phase, short(o.body))
		}
	}
	t.Logf("requests: %d (%v)", len(out.all), counts)
	for _, ph := range []string{"before", "down", "after"} {
		if counts[ph] == 0 {
			t.Errorf("no request fell entirely in the %q phase; the test proves nothing", ph)
		}
	}

	// Recovery without a restart of the portal: a new sign-in works and
	// the session is stored in the new Redis; cache writes land there.
	b := e.browser(thehivetest.AliceEmail)
	if r := b.getJSON("/api/v1/case/" + thehivetest.CaseUserTagID); r.StatusCode != http.StatusOK {
		t.Errorf("after the restart, a new session: %d %s", r.StatusCode, r.body)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer ccancel()
	if err := kv.Delete(cctx, caseKey(thehivetest.CaseUserTagID)); err != nil {
		t.Fatalf("redis after restart: %v", err)
	}
	alice := users[0].c
	if got := commentsOf(alice, thehivetest.CaseUserTagID); got != users[0].comments {
		t.Errorf("bearer comments after the restart: %s", got)
	}
	if _, err := kv.Get(cctx, caseKey(thehivetest.CaseUserTagID)); err != nil {
		t.Errorf("the share cache wrote nothing after the restart: %v", err)
	}
}
