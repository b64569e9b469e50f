// Package store is the portal's small key-value store with expiry: the
// share cache, browser sessions and the audit stream are kept in it.
//
// KV is the interface the rest of the portal uses. Two implementations
// exist:
//
//   - Redis (NewRedis) wraps go-redis v9 for deployments with several
//     replicas. Every key is written under a configured prefix, every
//     command has a deadline, and the client is built with DisableIdentity
//     (go-redis CVE-2025-29923: a timed-out CLIENT SETINFO during connect
//     could pair replies with the wrong commands).
//   - Memory (NewMemory) for a single replica and for tests. It honours
//     expiry, is safe for concurrent use and is bounded in entries and
//     bytes, so it cannot grow without limit.
//
// Failing closed is the caller's job, and this package makes it possible:
// only a key that is absent or expired gives ErrNotFound. Every other
// problem (Redis down, a timeout, a closed store, a key holding a value of
// another type) is a different error, so a store outage can never look
// like "no session" or "nothing cached".
//
// Errors never carry the Redis URL, its password or the keys used.
//
// Both implementations pass the conformance suite in package storetest.
package store
