// Command thehive-portal runs the external portal in front of TheHive 5.
//
// Commands: serve (the portal), demo (everything on localhost), explain
// (preview a case as an external user), share and unshare (write the share
// tags with an analyst's key), check-config (load and validate the
// configuration, listing every problem), version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/thehive-portal/thehive-portal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "thehive-portal:", err)
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

const usage = `usage: thehive-portal <command> [flags]

commands:
  serve [--config FILE]          run the portal (the default command)
  demo [--listen ADDR]           run everything on this machine: a TheHive simulator with
                                 sample cases, a development sign-in and the portal
  explain --user EMAIL [--group G]... --case ID [--config FILE] [--json]
                                 show what that external user sees of a case, and why
  share --case ID (--user EMAIL | --group G | --domain D) [--attachment AID]...
                                 share a case or mark attachments external (THEHIVE_API_KEY)
  unshare (same flags)           revoke what share granted
  check-config [--config FILE]   load and validate the configuration; list every problem
  healthcheck [--config FILE]    GET /healthz of the local portal; exit 0 when it answers 200
  version                        print the version
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "--config") {
		args = append([]string{"serve"}, args...)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "explain":
		return explainCmd(ctx, args[1:], getenv, stdout, stderr)
	case "share", "unshare":
		return shareCmd(ctx, args[0], args[1:], getenv, stdout, stderr)
	case "check-config":
		return checkConfig(args[1:], getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "thehive-portal", version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// loadConfig reads --config (or only the environment when it is empty).
func loadConfig(path string, getenv func(string) string) (*config.Config, error) {
	if path == "" {
		return config.Load(strings.NewReader(""), getenv)
	}
	return config.LoadFile(path, getenv)
}

func checkConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file (default: environment variables only)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"check-config takes no arguments"}
	}
	if _, err := loadConfig(*path, getenv); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "configuration ok")
	return nil
}
