// Package archtest holds no code: its test checks that the project's imports
// flow only cmd → proxy → {policy, filter} → config, as DESIGN.md requires.
package archtest
