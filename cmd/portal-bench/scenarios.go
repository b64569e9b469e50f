package main

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// scenario is one kind of request, sent the same way to both targets.
type scenario struct {
	name  string
	read  bool // time-bounded with -concurrency workers; else -uploads, one at a time
	scan  bool // answers are JSON worth scanning for canaries
	want  int  // the expected status
	build func(ctx context.Context, base string) (*http.Request, error)
}

// scenarios are the measured requests, in report order.
func scenarios(o options, d benchData) []scenario {
	return []scenario{
		{name: "get one case", read: true, scan: true, want: http.StatusOK,
			build: get("/api/v1/case/" + d.caseID)},
		{name: fmt.Sprintf("list cases (%d)", benchCases), read: true, scan: true, want: http.StatusOK,
			build: postJSON("/api/v1/query", fmt.Sprintf(`{"query":[{"_name":"listCase"},{"_name":"page","from":0,"to":%d}]}`, benchCases))},
		{name: fmt.Sprintf("list comments (%d, half external)", bigComments), read: true, scan: true, want: http.StatusOK,
			build: postJSON("/api/v1/query", fmt.Sprintf(`{"query":[{"_name":"getCase","idOrName":%q},{"_name":"comments"},{"_name":"page","from":0,"to":%d}]}`, d.bigCaseID, bigComments))},
		{name: fmt.Sprintf("download %d MiB", o.downloadMB), read: true, want: http.StatusOK,
			build: get("/api/v1/case/" + d.bigCaseID + "/attachment/" + d.attachmentID + "/download")},
		{name: fmt.Sprintf("upload %d MiB", o.uploadMB), want: http.StatusCreated,
			build: upload("/api/v1/case/"+d.uploadCaseID+"/attachments", int64(o.uploadMB)<<20)},
	}
}

func get(path string) func(context.Context, string) (*http.Request, error) {
	return func(ctx context.Context, base string) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	}
}

func postJSON(path, body string) func(context.Context, string) (*http.Request, error) {
	return func(ctx context.Context, base string) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}
}

// upload is a multipart upload of one file of size bytes, generated while
// it streams: the body is never held in memory.
func upload(path string, size int64) func(context.Context, string) (*http.Request, error) {
	return func(ctx context.Context, base string) (*http.Request, error) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, pr)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		go func() {
			w, err := mw.CreateFormFile("attachments", "bench-upload.bin")
			if err == nil {
				_, err = io.Copy(w, io.LimitReader(pattern{}, size))
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		return req, nil
	}
}

// pattern is an endless reader of printable bytes.
type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	return len(p), nil
}

// result is one scenario measured on both targets.
type result struct {
	sc           scenario
	bare, portal stats
	rssBase      int64 // the portal's RSS before the uploads (bytes; uploads only)
	rssPeak      int64 // its peak RSS during them
}

// runAll measures every scenario: reads in two rounds of half the duration
// (bare, portal, bare, portal), uploads the bare proxy first.
// The uploads run first, on the freshly started portal, so that its memory
// growth is measured from the lowest baseline. pid is the portal's process
// (0: memory is not sampled).
func runAll(ctx context.Context, o options, fx *fixture, portal target, pid int, progress io.Writer) ([]result, error) {
	bare := bareTarget(fx, o.concurrency)
	scs := scenarios(o, fx.data)
	order := append([]scenario{scs[len(scs)-1]}, scs[:len(scs)-1]...)
	byName := map[string]result{}
	for _, sc := range order {
		if !strings.Contains(sc.name, o.only) {
			continue
		}
		fmt.Fprintf(progress, "portal-bench: %s\n", sc.name)
		r := result{sc: sc}
		l := limits{workers: o.concurrency, max: o.maxRequests, duration: o.duration, sampleEvery: o.sampleEvery}
		if !sc.read {
			l = limits{workers: 1, max: o.uploads, duration: 3 * time.Minute, sampleEvery: o.sampleEvery}
		} else if o.warmup > 0 {
			w := l
			w.duration = o.warmup
			measure(ctx, bare, sc, w)
			measure(ctx, portal, sc, w)
		}
		if sc.read {
			// Two rounds each, alternating, so that a change in the
			// machine's load weighs on both alike.
			l.duration /= 2
			l.max = max(l.max/2, 1)
			for range 2 {
				r.bare = r.bare.add(measure(ctx, bare, sc, l))
				r.portal = r.portal.add(measureCPU(pid, func() stats { return measure(ctx, portal, sc, l) }))
			}
		} else {
			r.bare = measure(ctx, bare, sc, l)
			var s *rssSampler
			if pid > 0 {
				s = startRSS(pid, 20*time.Millisecond)
			}
			r.portal = measureCPU(pid, func() stats { return measure(ctx, portal, sc, l) })
			if s != nil {
				r.rssBase, r.rssPeak = s.stop()
			}
		}
		byName[sc.name] = r
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	var out []result
	for _, sc := range scs {
		if r, ok := byName[sc.name]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// measureCPU runs m and adds the CPU time process pid used meanwhile
// (nothing when pid is 0).
func measureCPU(pid int, m func() stats) stats {
	if pid <= 0 {
		return m()
	}
	before, err := readCPU(pid)
	s := m()
	if after, err2 := readCPU(pid); err == nil && err2 == nil {
		s.cpu = after - before
	}
	return s
}
