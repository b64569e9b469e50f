package auth

import "strings"

// MaxReturnToBytes bounds the return path kept across a sign-in.
const MaxReturnToBytes = 1024

// SafeReturnTo returns p when it is a safe same-origin path, otherwise "/".
// It never rewrites p: the result is either p byte for byte or "/".
//
// A safe path starts with exactly one "/" and is at most MaxReturnToBytes
// long. It holds only printable ASCII (no space, control character,
// backslash or non-ASCII byte anywhere), no "//" and no "." or ".." segment
// in its path part, and only well-formed percent escapes that do not encode
// a slash, backslash, dot, percent sign, space, control or DEL character
// (so that no later decoding step can turn it into one of the forms above).
// A query and a fragment are allowed.
func SafeReturnTo(p string) string {
	if isSafeReturnTo(p) {
		return p
	}
	return "/"
}

func isSafeReturnTo(p string) bool {
	if len(p) == 0 || len(p) > MaxReturnToBytes || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c <= ' ' || c >= 0x7f || c == '\\':
			return false
		case c == '%':
			if i+2 >= len(p) || unhex(p[i+1]) < 0 || unhex(p[i+2]) < 0 {
				return false
			}
			if v := unhex(p[i+1])<<4 | unhex(p[i+2]); v <= ' ' || v == 0x7f || strings.IndexByte(`/\.%`, byte(v)) >= 0 {
				return false
			}
			i += 2
		}
	}
	path := p
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		path = p[:i]
	}
	if strings.Contains(path, "//") {
		return false
	}
	for seg := range strings.SplitSeq(path[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
