package session

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
)

const (
	// idBytes is the entropy of a session id: 256 bits.
	idBytes = 32
	// idLen is the length of an id: idBytes in unpadded base64url.
	idLen = 43
	// keyPrefix starts every store key this package writes.
	keyPrefix = "session:"
	// Labels that separate the two values derived from one id. Other
	// uses of the session secret must pick other labels.
	labelKey = "key:"
	labelEnc = "enc:"
	// formatV1 is the first byte of a sealed record.
	formatV1 byte = 1
)

// errOpen is returned by open for any record that does not decrypt.
var errOpen = errors.New("session: record does not open")

// idEncoding encodes ids; Strict rejects non-canonical trailing bits, so
// one id has exactly one spelling.
var idEncoding = base64.RawURLEncoding.Strict()

// newToken returns n random bytes in unpadded base64url.
func newToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return idEncoding.EncodeToString(b), nil
}

// validID reports whether id has the exact shape of an id from newToken:
// 43 characters of the base64url alphabet that decode canonically to 32
// bytes. It runs before any store access and reads at most idLen bytes.
func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	b, err := idEncoding.DecodeString(id)
	return err == nil && len(b) == idBytes
}

// derive returns HMAC-SHA256(secret, label+id).
func (m *Manager) derive(label, id string) []byte {
	mac := hmac.New(sha256.New, []byte(m.secret.Reveal()))
	mac.Write([]byte(label))
	mac.Write([]byte(id))
	return mac.Sum(nil)
}

// storeKey is where the session with this id is stored: the id itself is
// never written to the store.
func (m *Manager) storeKey(id string) string {
	return keyPrefix + hex.EncodeToString(m.derive(labelKey, id))
}

// aead returns AES-256-GCM under the session's own key.
func (m *Manager) aead(id string) (cipher.AEAD, error) {
	block, err := aes.NewCipher(m.derive(labelEnc, id))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts plaintext for the session id stored at key. The record is
// formatV1 || nonce || ciphertext+tag, with key as additional data.
func (m *Manager) seal(id, key string, plaintext []byte) ([]byte, error) {
	aead, err := m.aead(id)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = formatV1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], plaintext, []byte(key)), nil
}

// open reverses seal. Any failure (wrong format, wrong id, wrong key,
// altered bytes) is errOpen.
func (m *Manager) open(id, key string, record []byte) ([]byte, error) {
	aead, err := m.aead(id)
	if err != nil {
		return nil, errOpen
	}
	ns := aead.NonceSize()
	if len(record) < 1+ns+aead.Overhead() || record[0] != formatV1 {
		return nil, errOpen
	}
	plain, err := aead.Open(nil, record[1:1+ns], record[1+ns:], []byte(key))
	if err != nil {
		return nil, errOpen
	}
	return plain, nil
}
