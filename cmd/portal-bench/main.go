// Command portal-bench measures thehive-portal against a bare reverse proxy
// in one run on loopback (issue 6).
//
// It starts the TheHive simulator with benchmark data, a mock OpenID
// Connect provider that signs the bench user's bearer token, a bare
// httputil.ReverseProxy that only adds the service key, and the portal as a
// child process (Redis-backed when Redis answers), then drives the bare
// proxy and the portal with the same bounded load for each scenario and
// prints requests per second, p50 and p99 latency, the portal / bare
// ratios, the portal's peak memory growth during the uploads, and whether
// the goals of the issue are met.
//
//	go run ./cmd/portal-bench
//	make bench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	duration    time.Duration // measured time per scenario and target
	warmup      time.Duration // unmeasured time per scenario and target
	concurrency int           // workers of the read scenarios
	maxRequests int           // cap on requests per scenario and target
	uploads     int           // uploads per target
	uploadMB    int           // size of one upload
	downloadMB  int           // size of the attachment downloaded
	sampleEvery int           // scan every n-th portal body for canaries
	redisURL    string        // Redis of the portal; empty: REDIS_URL or the default
	portalBin   string        // a built thehive-portal; empty: build one
	inProcess   bool          // run the portal in this process (for -cpuprofile)
	cpuProfile  string        // write a CPU profile of this process here
	portalProf  string        // write a CPU profile of the child portal here
	only        string        // run only the scenarios whose name holds this
}

// parseFlags reads the flags; the defaults fit a 2-core machine and keep
// the whole run under about three minutes.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("portal-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.duration, "duration", 8*time.Second, "measured time per read scenario and target")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up per read scenario and target")
	fs.IntVar(&o.concurrency, "concurrency", 8, "concurrent workers of the read scenarios")
	fs.IntVar(&o.maxRequests, "max-requests", 200000, "at most this many requests per scenario and target")
	fs.IntVar(&o.uploads, "uploads", 3, "uploads per target (one at a time)")
	fs.IntVar(&o.uploadMB, "upload-mb", 200, "size of one upload in MiB (generated while it streams)")
	fs.IntVar(&o.downloadMB, "download-mb", 10, "size of the downloaded attachment in MiB")
	fs.IntVar(&o.sampleEvery, "sample-every", 20, "scan every n-th portal answer for canaries")
	fs.StringVar(&o.redisURL, "redis", "", "Redis URL of the portal (default $REDIS_URL, else redis://127.0.0.1:6379/15)")
	fs.StringVar(&o.portalBin, "portal-bin", "", "thehive-portal binary to run (default: build ./cmd/thehive-portal)")
	fs.BoolVar(&o.inProcess, "in-process", false, "run the portal inside this process (profiling; no memory figure)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of this process (with -in-process: the portal too)")
	fs.StringVar(&o.portalProf, "portal-cpuprofile", "", "write a CPU profile of the portal child process (and FILE.allocs, its allocations) through its admin listener's /debug/pprof")
	fs.StringVar(&o.only, "only", "", "run only the scenarios whose name contains this text (profiling)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, errors.New("portal-bench takes no arguments")
	case o.duration <= 0 || o.warmup < 0 || o.concurrency < 1 || o.maxRequests < 1:
		return o, errors.New("-duration, -concurrency and -max-requests must be positive")
	case o.portalProf != "" && o.inProcess:
		return o, errors.New("-portal-cpuprofile profiles the child process; with -in-process use -cpuprofile")
	case o.uploads < 1 || o.uploadMB < 1 || o.downloadMB < 1 || o.sampleEvery < 1:
		return o, errors.New("-uploads, -upload-mb, -download-mb and -sample-every must be positive")
	}
	if o.redisURL == "" {
		o.redisURL = os.Getenv("REDIS_URL")
	}
	if o.redisURL == "" {
		o.redisURL = "redis://127.0.0.1:6379/15"
	}
	return o, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "portal-bench:", err)
		os.Exit(1)
	}
}

// run starts everything, measures every scenario and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	started, load := time.Now(), loadAverage()
	fx, err := startFixture(o)
	if err != nil {
		return err
	}
	defer fx.close()
	rdb, rerr := openRedis(ctx, o.redisURL)
	if rerr != nil {
		fmt.Fprintf(stderr, "portal-bench: WARNING: no Redis at %s (%v); the portal keeps its data in memory\n", redactURL(o.redisURL), rerr)
	} else {
		defer rdb.cleanup()
	}
	portalURL, adminURL, pid := "", "", 0
	if o.inProcess {
		if portalURL, err = startInProcess(ctx, fx, rdb, io.Discard); err != nil {
			return err
		}
	} else {
		p, err := startChild(ctx, o, fx, rdb, stderr)
		if err != nil {
			return err
		}
		defer p.stop()
		portalURL, adminURL, pid = p.url, p.adminURL, p.pid()
	}
	storeName := "memory"
	if rdb != nil {
		storeName = "Redis (" + redactURL(o.redisURL) + ")"
	}
	fmt.Fprintf(stdout, "portal-bench: portal (pid %d; 0: in this process) at %s, store %s; setup took %s\n\n",
		pid, portalURL, storeName, time.Since(started).Round(100*time.Millisecond))
	if o.cpuProfile != "" {
		stopProfile, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if o.portalProf != "" {
		wait := profileChild(ctx, adminURL, o.portalProf, profileSeconds(o), stderr)
		defer wait()
	}
	res, err := runAll(ctx, o, fx, portalTarget(portalURL, fx), pid, stderr)
	if err != nil {
		return err
	}
	report(stdout, o, machineFacts(), load, storeName, res)
	fmt.Fprintf(stdout, "\ntotal time %s\n", time.Since(started).Round(time.Second))
	return nil
}

// startCPUProfile writes a CPU profile to path until the returned function
// is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
