// Package storetest is the conformance suite that every store.KV must pass,
// plus helpers for tests that need a real Redis server.
//
// Use it from a _test.go file:
//
//	func TestMemory(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.KV { return store.NewMemory() })
//	}
//
//	func TestRedis(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.KV { return storetest.NewRedis(t) })
//	}
//
// The Redis server is taken from the REDIS_URL environment variable, or
// redis://127.0.0.1:6379/0. Each NewRedis store writes under its own random
// prefix ("thehive-portal-test:<random>:") and its keys are deleted when
// the test ends. When the server cannot be reached the test is skipped,
// unless the CI environment variable is set, in which case it fails.
//
// The suite uses short TTLs and polls for their effect; it never asserts
// on how long an operation takes.
package storetest
