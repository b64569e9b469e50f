// Package config loads, defaults and validates the configuration of
// thehive-portal.
//
// The configuration is one YAML file (see testdata/config.example.yaml at the
// module root, which documents every key) plus the PORTAL_* environment
// variables of DESIGN.md, which override the file. Values in the file may
// reference the environment as ${NAME} or ${NAME:-fallback}; expansion happens
// inside scalar values after parsing, so an environment value can never add
// keys or structure.
//
// Loading is strict: an unknown or duplicated key is an error that names its
// line and key path. Defaults live in one place (defaults.go). Validation is
// pure (no I/O) and reports every problem at once, each prefixed with its key
// path, for example "oidc.issuer: must be an absolute URL".
//
// The share model (which cases, comments, attachments and observables an
// external viewer may see), the projection (which fields of them leave), the
// profiles and the input allow-lists are data in this package, interpreted by
// the policy and filter packages. config imports no other package of the
// project.
package config
