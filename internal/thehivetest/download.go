package thehivetest

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// fillerPattern is repeated to produce the content of attachments whose bytes were
// not kept (discarded uploads and fixture attachments).
const fillerPattern = "thehivetest: content not stored\n"

// Filler returns the deterministic content served for an attachment of size bytes
// whose content is not stored. Its hashes differ from the attachment's hashes.
func Filler(size int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(fillerReader{}, size))
	return b
}

type fillerReader struct{}

func (fillerReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = fillerPattern[i%len(fillerPattern)]
	}
	return len(p), nil
}

// serveDownload writes the attachment bytes, or err.
func (s *Sim) serveDownload(w http.ResponseWriter, r *http.Request, d *download, err error) error {
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("ETag", `"`+d.hash+`"`)
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Trim(inm, `"`) == d.hash {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Disposition", contentDisposition(d.name))
	h.Set("Content-Length", strconv.FormatInt(d.size, 10))
	w.WriteHeader(http.StatusOK)
	if d.stored {
		_, _ = w.Write(d.content)
		return nil
	}
	_, _ = io.CopyN(w, fillerReader{}, d.size)
	return nil
}

// contentDisposition returns `attachment; filename="…"`, adding an RFC 5987
// filename* for non-ASCII names. Quotes and backslashes are escaped, controls dropped.
func contentDisposition(name string) string {
	var b strings.Builder
	ascii := true
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f:
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r > 0x7e:
			ascii = false
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	v := `attachment; filename="` + b.String() + `"`
	if !ascii {
		v += "; filename*=UTF-8''" + url.PathEscape(name)
	}
	return v
}
