package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// profileSeconds is how long the child's CPU profile runs: every selected
// scenario's warm-up and measured time on both targets, plus a margin. The
// portal is idle while the bare proxy is measured, so those seconds add no
// samples.
func profileSeconds(o options) int {
	total := 10 * time.Second
	for _, sc := range scenarios(o, benchData{}) {
		if !strings.Contains(sc.name, o.only) {
			continue
		}
		if sc.read {
			total += 2 * (o.duration + o.warmup)
		} else {
			total += time.Duration(2*o.uploads) * 3 * time.Second
		}
	}
	return int(total.Seconds())
}

// profileChild fetches a CPU profile of seconds from the portal's admin
// listener into path, then its allocation profile into path.allocs, in the
// background; the returned function waits for them (and reports a failure
// on stderr).
func profileChild(ctx context.Context, adminURL, path string, seconds int, stderr io.Writer) func() {
	done := make(chan error, 1)
	go func() {
		err := fetchProfile(ctx, adminURL+fmt.Sprintf("/debug/pprof/profile?seconds=%d", seconds), path)
		if err == nil { // what the portal allocated since it started
			err = fetchProfile(ctx, adminURL+"/debug/pprof/allocs", path+".allocs")
		}
		done <- err
	}()
	return func() {
		fmt.Fprintf(stderr, "portal-bench: waiting for the portal's CPU profile (%ds in all)\n", seconds)
		if err := <-done; err != nil {
			fmt.Fprintln(stderr, "portal-bench: portal CPU profile:", err)
			return
		}
		fmt.Fprintf(stderr, "portal-bench: portal CPU profile written to %s, allocations to %s.allocs\n", path, path)
	}
}

func fetchProfile(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("admin listener answered %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
