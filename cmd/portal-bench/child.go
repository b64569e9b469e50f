package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// portalYAML is the portal's configuration for the bench: the simulator as
// TheHive, the mock IdP, Redis when rdb is set (else memory), limits that
// let the scenarios through (pages of 1,000, uploads of 1 GiB, no rate
// limit in practice) and everything else at its default.
func portalYAML(addr string, fx *fixture, rdb *scratchRedis) string {
	return portalYAMLAdmin(addr, "", fx, rdb)
}

// portalYAMLAdmin is portalYAML with, when admin is set, the admin listener
// there serving Go's profiles (for -portal-cpuprofile).
func portalYAMLAdmin(addr, admin string, fx *fixture, rdb *scratchRedis) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\npublic_url: %q\n", addr, "http://"+addr)
	fmt.Fprintf(&b, "upstream:\n  url: %q\n  api_key: %q\n  service_login: %q\n", fx.simURL, thehivetest.ServiceKey, thehivetest.ServiceLogin)
	fmt.Fprintf(&b, "oidc:\n  issuer: %q\n  client_id: %q\n  client_secret: %q\n", fx.idp.Issuer(), fx.idp.ClientID, fx.idp.ClientSecret)
	if rdb != nil {
		fmt.Fprintf(&b, "redis:\n  url: %q\n  prefix: %q\n", rdb.url, rdb.prefix)
	}
	fmt.Fprintf(&b, "session:\n  secret: %q\n", randomHex(32))
	b.WriteString("limits:\n  max_upload_bytes: 1GiB\n  max_page_size: 1000\n  requests_per_minute: 1000000\n")
	b.WriteString("log:\n  level: info\n  format: json\n")
	if admin != "" {
		fmt.Fprintf(&b, "admin:\n  listen: %q\n  pprof: true\n", admin)
	}
	return b.String()
}

// child is the portal running as a child process, so that its memory can
// be measured alone.
type child struct {
	cmd *exec.Cmd
	url string
	dir string
	// adminURL is the admin listener with /debug/pprof (only with
	// -portal-cpuprofile).
	adminURL string
	log      *os.File
	done     chan error
}

// startChild builds thehive-portal (unless -portal-bin names one) into a
// temporary directory and runs `serve` with the bench configuration; the
// portal's logs go to a file there, shown on failure.
func startChild(ctx context.Context, o options, fx *fixture, rdb *scratchRedis, stderr io.Writer) (*child, error) {
	dir, err := os.MkdirTemp("", "portal-bench-")
	if err != nil {
		return nil, err
	}
	c := &child{dir: dir}
	bin := o.portalBin
	if bin == "" {
		bin = filepath.Join(dir, "thehive-portal")
		fmt.Fprintln(stderr, "portal-bench: building ./cmd/thehive-portal")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/thehive-portal/thehive-portal/cmd/thehive-portal")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			c.stop()
			return nil, fmt.Errorf("build the portal: %w", err)
		}
	}
	if err := c.start(bin, o.portalProf != "", fx, rdb); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// start runs the binary and waits until it prints its listening address.
func (c *child) start(bin string, profile bool, fx *fixture, rdb *scratchRedis) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	admin := ""
	if profile {
		if admin, err = freeAddr(); err != nil {
			return err
		}
		c.adminURL = "http://" + admin
	}
	cfgPath := filepath.Join(c.dir, "portal.yaml")
	if err := os.WriteFile(cfgPath, []byte(portalYAMLAdmin(addr, admin, fx, rdb)), 0o600); err != nil {
		return err
	}
	if c.log, err = os.Create(filepath.Join(c.dir, "portal.log")); err != nil {
		return err
	}
	c.cmd = exec.Command(bin, "serve", "--config", cfgPath)
	c.cmd.Env = withoutPortalVars(os.Environ())
	c.cmd.Stderr = c.log
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("start the portal: %w", err)
	}
	c.done = make(chan error, 1)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "thehive-portal listening on "); ok {
				ready <- a
			}
		}
		c.done <- c.cmd.Wait()
	}()
	select {
	case a := <-ready:
		c.url = "http://" + a
		return nil
	case err := <-c.done:
		c.done <- err
		return fmt.Errorf("the portal exited at start (%v); its log:\n%s", err, c.logTail())
	case <-time.After(30 * time.Second):
		return fmt.Errorf("the portal did not start within 30s; its log:\n%s", c.logTail())
	}
}

// pid is the portal's process id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// stop ends the portal (SIGTERM, then SIGKILL after 10s) and removes the
// temporary directory.
func (c *child) stop() {
	if c.cmd != nil && c.cmd.Process != nil && c.done != nil {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
	if c.log != nil {
		_ = c.log.Close()
	}
	_ = os.RemoveAll(c.dir)
}

// logTail is the end of the portal's log.
func (c *child) logTail() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "portal.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// withoutPortalVars drops PORTAL_* variables so that only the bench
// configuration applies.
func withoutPortalVars(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PORTAL_") {
			out = append(out, kv)
		}
	}
	return out
}

// redactURL hides the password of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
