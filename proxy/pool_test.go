package proxy

import (
	"fmt"
	"sync"
	"testing"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// TestPooledBuffersUnderConcurrency: lists read and answer through pooled
// buffers; many concurrent lists by users who see different cases each get
// exactly the answer they get alone (a buffer given back too early, or
// shared, would mix them).
func TestPooledBuffersUnderConcurrency(t *testing.T) {
	e := newEnv(t, withMemoryStore())
	queries := []string{
		`{"query":[{"_name":"listCase"}]}`,
		fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":"comments"}]}`, thehivetest.CaseUserTagID),
		fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":"comments"}]}`, thehivetest.CaseDomainTagID),
	}
	users := []string{thehivetest.AliceEmail, thehivetest.BobEmail, thehivetest.JaneEmail}
	want := map[string]string{}
	for _, u := range users {
		for _, q := range queries {
			r := e.bearer(u).postJSON("/api/v1/query", q)
			if r.StatusCode != 200 {
				t.Fatalf("%s %s: %d", u, q, r.StatusCode)
			}
			want[u+q] = string(r.body)
		}
	}
	if want[users[0]+queries[0]] == want[users[1]+queries[0]] {
		t.Fatal("the users see the same cases: the test would prove nothing")
	}
	var wg sync.WaitGroup
	for w := range 12 {
		wg.Go(func() {
			for i := range 30 {
				u, q := users[(w+i)%len(users)], queries[i%len(queries)]
				r := e.bearer(u).postJSON("/api/v1/query", q)
				if got := string(r.body); r.StatusCode != 200 || got != want[u+q] {
					t.Errorf("%s %s: %d, answer differs from the answer alone", u, q, r.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
}
