package policy

import "strings"

// nativeAccess reads TheHive 5.6's access object (raw JSON text, "" when
// absent): AllExternalAccessKind shares with every external user,
// ExternalAccessKind with the users it lists ("*": all). It reads the raw
// text once, decoding only strings that hold escapes.
func nativeAccess(email, access string) bool {
	kindRaw, users, ok := accessMembers(access)
	if !ok {
		return false
	}
	kind, ok := decodeString(kindRaw)
	if !ok {
		return false
	}
	switch kind {
	case "AllExternalAccessKind":
		return true
	case "ExternalAccessKind":
		return listsUser(users, email)
	}
	return false
}

// accessMembers returns the raw values of _kind and users of the access
// object (the first of each, as gjson's Get).
func accessMembers(access string) (kind, users string, ok bool) {
	it := newObjectIter(access)
	for key, esc, v, more := it.next(); more; key, esc, v, more = it.next() {
		if esc {
			key, _ = decodeString(key)
		} else {
			key = key[1 : len(key)-1]
		}
		switch {
		case key == "_kind" && kind == "":
			kind = v
		case key == "users" && users == "":
			users = v
		}
	}
	return kind, users, !it.bad
}

// listsUser reports whether the raw JSON array users holds "*" or email
// (compared case-insensitively). Anything but an array lists nobody.
func listsUser(users, email string) bool {
	i := skipSpace(users, 0)
	if i >= len(users) || users[i] != '[' {
		return false
	}
	for i = skipSpace(users, i+1); i < len(users) && users[i] != ']'; {
		next := skipValue(users, i)
		if next < 0 {
			return false
		}
		if u, ok := decodeString(users[i:next]); ok && (u == "*" || strings.EqualFold(u, email)) {
			return true
		}
		if i = skipSpace(users, next); i < len(users) && users[i] == ',' {
			i = skipSpace(users, i+1)
		}
	}
	return false
}
