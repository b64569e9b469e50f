package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/thehive-portal/thehive-portal/config"
)

// The deployment files cannot be run here (no container engine); these
// tests keep them consistent with the code instead.

var portalVar = regexp.MustCompile(`PORTAL_[A-Z0-9_]+`)

// deployFiles lists the Dockerfile and every file under deploy/.
func deployFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"../../Dockerfile"}
	err := filepath.WalkDir("../../deploy", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 4 {
		t.Fatalf("deploy files: %v %v", files, err)
	}
	return files
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeployUsesKnownVariables: every PORTAL_* name in the deployment
// files is one config.Load reads.
func TestDeployUsesKnownVariables(t *testing.T) {
	known := config.EnvVars()
	for _, f := range deployFiles(t) {
		for _, name := range portalVar.FindAllString(mustRead(t, f), -1) {
			if !slices.Contains(known, name) {
				t.Errorf("%s uses %s, which the configuration does not read", f, name)
			}
		}
	}
}

// deployEnv holds the values the examples leave to the environment and
// secrets.
func deployEnv() func(string) string {
	env := map[string]string{
		"PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_UPSTREAM_URL": "http://127.0.0.1:9000",
		"PORTAL_UPSTREAM_API_KEY": "key", "PORTAL_OIDC_ISSUER": "https://sso.example.com",
		"PORTAL_OIDC_CLIENT_ID": "thehive-portal", "PORTAL_OIDC_CLIENT_SECRET": "secret",
		"PORTAL_SESSION_SECRET": strings.Repeat("s", 32), "PORTAL_WEBHOOK_SECRET": strings.Repeat("w", 16),
	}
	return func(k string) string { return env[k] }
}

// TestDeployConfigsAreValid: the compose config file and the Kubernetes
// ConfigMap pass check-config, and the variables set in the examples load.
func TestDeployConfigsAreValid(t *testing.T) {
	if _, err := config.Load(strings.NewReader(mustRead(t, "../../deploy/compose/config.yaml")), deployEnv()); err != nil {
		t.Errorf("compose config.yaml: %v", err)
	}
	for _, doc := range yamlDocs(t, "../../deploy/kubernetes/thehive-portal.yaml") {
		if doc["kind"] != "ConfigMap" {
			continue
		}
		data := doc["data"].(map[string]any)["config.yaml"].(string)
		if _, err := config.Load(strings.NewReader(data), deployEnv()); err != nil {
			t.Errorf("ConfigMap config.yaml: %v", err)
		}
	}
	env := map[string]string{}
	for _, line := range strings.Split(mustRead(t, "../../deploy/compose/portal.env.example"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			env[k] = v
		}
	}
	env["PORTAL_UPSTREAM_URL"] = "http://thehive:9000"
	if _, err := config.Load(strings.NewReader(""), func(k string) string { return env[k] }); err != nil {
		t.Errorf("portal.env.example: %v", err)
	}
}

// TestKubernetesPortalContainer: the sidecar reaches TheHive over the
// pod's loopback, runs as non-root, and probes /healthz and /readyz.
func TestKubernetesPortalContainer(t *testing.T) {
	text := mustRead(t, "../../deploy/kubernetes/thehive-portal.yaml")
	for _, want := range []string{"path: /readyz", "path: /healthz", "runAsNonRoot: true", "readOnlyRootFilesystem: true",
		`value: "http://127.0.0.1:9000"`, "secretRef: {name: thehive-portal}", "PORTAL_REDIS_URL"} {
		if !strings.Contains(text, want) {
			t.Errorf("thehive-portal.yaml lacks %q", want)
		}
	}
	if len(yamlDocs(t, "../../deploy/kubernetes/thehive-portal.yaml")) != 5 {
		t.Error("want ConfigMap, Deployment, Service, Redis Deployment and Service")
	}
	compose := yamlDocs(t, "../../deploy/compose/compose.yaml")
	if len(compose) != 1 || compose[0]["services"].(map[string]any)["thehive-portal"] == nil {
		t.Error("compose.yaml has no thehive-portal service")
	}
}

// TestDockerfile: multi-stage, module cache layer, static trimmed build
// with the version, non-root, health check through the binary.
func TestDockerfile(t *testing.T) {
	text := mustRead(t, "../../Dockerfile")
	for _, want := range []string{"COPY go.mod go.sum ./", "go mod download", "CGO_ENABLED=0", "-trimpath",
		`-ldflags "-s -w -X main.version=${VERSION}"`, "./cmd/thehive-portal", "USER 65532:65532",
		`HEALTHCHECK`, `CMD ["/thehive-portal", "healthcheck"]`, `ENTRYPOINT ["/thehive-portal"]`, "ENV PORTAL_LISTEN=:8080"} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := strings.Count(text, "\nFROM "); n != 2 {
		t.Errorf("%d stages, want 2", n)
	}
	if regexp.MustCompile(`(?m)^USER\s+(root|0)\b`).MatchString(text) {
		t.Error("the image runs as root")
	}
}

// TestVersionStamp builds the binary with the Dockerfile's link flags and
// runs its version command: -X main.version names the right variable.
// (CGO_ENABLED=0 and -trimpath, which TestDockerfile checks, are left out
// here: they would rebuild every package instead of using the cache.)
func TestVersionStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "thehive-portal")
	build := exec.Command("go", "build", "-ldflags", "-s -w -X main.version=9.9.9-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "thehive-portal 9.9.9-test" {
		t.Errorf("version: %q %v", out, err)
	}
}

func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(mustRead(t, path))))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
}
