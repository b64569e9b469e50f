package ui

import (
	"strconv"
	"time"
)

// formatDate shows a time to a reader, in UTC; "" for the zero time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// formatISO is the machine-readable form of a time, for <time datetime>.
func formatISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// FormatBytes shows a size in bytes with a binary unit: "512 B",
// "1.5 KB", "100 MB".
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n), []string{"KB", "MB", "GB", "TB"}
	i := -1
	for v >= unit && i < len(suffix)-1 {
		v /= unit
		i++
	}
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10) + " " + suffix[i]
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + suffix[i]
}
