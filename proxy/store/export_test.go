package store

// SetStreamMaxLen lets external tests trim streams early.
func SetStreamMaxLen(r *Redis, n int64) { r.streamMaxLen = n }
