package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/devidp"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// demo runs the whole product on this machine with no outside service:
// the TheHive simulator with sample cases, the development IdP with sample
// users, the in-memory store and the portal, until ctx ends.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address of the portal (a loopback address; port 0 picks one)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"demo takes no arguments"}
	}
	if err := loopbackAddr(*listen); err != nil {
		return usageError{err.Error()}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w (choose another port with --listen 127.0.0.1:PORT)", err)
	}
	env, err := startDemoEnv(ln.Addr().String())
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer env.close()
	log := newLogger(env.cfg, stderr)
	srv, closeDeps, err := build(ctx, env.cfg, log)
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer closeDeps()
	env.printBanner(stdout)
	return runHTTP(ctx, newHTTPServer(srv.Handler(), log), ln, log)
}

// loopbackAddr refuses a listen address that is not a loopback IP: the
// development sign-in lets anyone in.
func loopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q: the demo listens on a loopback address only, e.g. 127.0.0.1:8080", addr)
	}
	return nil
}

// demoEnv is what the demo runs besides the portal.
type demoEnv struct {
	cfg    *config.Config
	sim    *thehivetest.Sim
	simURL string
	simSrv *http.Server
	idp    *devidp.Provider
	cases  []seededCase
}

// startDemoEnv starts the simulator and the IdP on free loopback ports and
// builds the configuration of the portal listening on addr.
func startDemoEnv(addr string) (*demoEnv, error) {
	d := &demoEnv{sim: thehivetest.New(thehivetest.WithSeed())}
	var err error
	if d.cases, err = seedDemo(d.sim, config.Default().Markers); err != nil {
		d.close()
		return nil, err
	}
	if err = d.serveSim(); err == nil {
		d.idp, err = devidp.Start("127.0.0.1:0", demoUsers())
	}
	if err == nil {
		d.cfg, err = demoConfig(addr, d.simURL, d.idp)
	}
	if err != nil {
		d.close()
		return nil, err
	}
	// TheHive's webhook: the portal drops cached share data at once when
	// an analyst changes a case (for example with `share`).
	d.sim.SetWebhook(d.cfg.PublicURL+"/hooks/thehive", d.cfg.Webhook.Secret.Reveal())
	return d, nil
}

func (d *demoEnv) serveSim() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulator: listen: %w", err)
	}
	d.simURL = "http://" + ln.Addr().String()
	d.simSrv = &http.Server{Handler: d.sim, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = d.simSrv.Serve(ln) }()
	return nil
}

// close stops the IdP and the simulator.
func (d *demoEnv) close() {
	var errs []error
	if d.idp != nil {
		errs = append(errs, d.idp.Close())
	}
	if d.simSrv != nil {
		errs = append(errs, d.simSrv.Close())
	}
	d.sim.Close()
	_ = errors.Join(errs...)
}

// demoConfig is the portal's configuration for the demo: the simulator as
// TheHive, the development IdP, the demo groups as profiles, in-memory
// storage.
func demoConfig(addr, simURL string, idp *devidp.Provider) (*config.Config, error) {
	cfg := config.Default()
	cfg.Listen, cfg.PublicURL = addr, "http://"+addr
	cfg.Upstream.URL = simURL
	cfg.Upstream.APIKey = config.Secret(thehivetest.ServiceKey)
	cfg.Upstream.ServiceLogin = thehivetest.ServiceLogin
	cfg.OIDC.Issuer, cfg.OIDC.ClientID = idp.Issuer(), idp.ClientID
	cfg.OIDC.ClientSecret = config.Secret(idp.ClientSecret)
	cfg.OIDC.Scopes = devidp.Scopes
	cfg.Session.Secret = config.Secret(randomHex(32))
	cfg.Webhook.Secret = config.Secret(randomHex(24))
	cfg.Profiles = demoProfiles()
	cfg.Log.Format = "text"
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("demo configuration: %w", err)
	}
	return cfg, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// printBanner tells the user where everything is and who to sign in as.
func (d *demoEnv) printBanner(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "thehive-portal demo: everything runs on this machine. Stop it with Ctrl+C.\n\n")
	fmt.Fprintf(tw, "  Portal\t%s/\n", d.cfg.PublicURL)
	fmt.Fprintf(tw, "  Sign in\t%s/auth/login  (a development sign-in page lists the sample users; no password)\n", d.cfg.PublicURL)
	fmt.Fprintf(tw, "  TheHive simulator\t%s  (analyst API key: %s)\n", d.simURL, thehivetest.AnalystKey)
	fmt.Fprintf(tw, "\nSample users:\n")
	for _, u := range demoUsers() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Name, u.Email, u.About)
	}
	fmt.Fprintln(tw, "\nSample cases:")
	for _, c := range d.cases {
		fmt.Fprintf(tw, "  #%d\t%s\t%s\n", c.Number, c.Title, c.sharing)
	}
	fmt.Fprintf(tw, "  #%d\t%s\t%s\n", thehivetest.Case42Number, "Phishing wave targeting finance team",
		"shared with Jane (TheHive 5.6 native access)")
	if n := len(d.cases); n > 0 {
		last := d.cases[n-1]
		fmt.Fprintf(tw, "\nShare the internal case #%d with Paul, then reload his case list:\n", last.Number)
		fmt.Fprintf(tw, "  THEHIVE_API_KEY=%s go run ./cmd/thehive-portal share --url %s --case %d --user %s\n",
			thehivetest.AnalystKey, d.simURL, last.Number, demoPaul.Email)
	}
	_ = tw.Flush()
}
