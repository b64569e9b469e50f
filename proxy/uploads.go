package proxy

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

const maxFilesPerUpload = 20

// errClientUpload is a mistake in the client's multipart body.
type errClientUpload struct{ msg string }

func (e *errClientUpload) Error() string { return e.msg }

func isMultipart(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "multipart/form-data"
}

// multipartIn opens the client's multipart body as a stream, bounded by
// the upload limit.
func (s *Server) multipartIn(c echo.Context) (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" || len(params["boundary"]) > 70 {
		return nil, errBadRequest("Content-Type must be multipart/form-data")
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, int64(s.cfg.Limits.MaxUploadBytes))
	return multipart.NewReader(body, params["boundary"]), nil
}

// streamUpload sends a multipart body that write produces, streamed, and
// returns TheHive's JSON answer. A mistake in the client's body is a 400
// (or 413), a TheHive failure a 502.
func (s *Server) streamUpload(ctx context.Context, write func(*multipart.Writer) error, segments ...string) ([]byte, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan error, 1)
	go func() {
		err := write(mw)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
		done <- err
	}()
	resp, err := s.up.stream(ctx, http.MethodPost, pr, mw.FormDataContentType(), segments...)
	pr.CloseWithError(errors.New("upload ended"))
	copyErr := <-done
	if cerr := clientUploadError(copyErr); cerr != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, cerr
	}
	if err != nil {
		return nil, errUpstream(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return nil, errUpstream(&errUpstreamStatus{Status: resp.StatusCode})
	}
	data, err := s.up.readJSON(resp, nil)
	if err != nil {
		return nil, errUpstream(err)
	}
	return data, nil
}

// clientUploadError maps a failure while reading the client's body.
func clientUploadError(err error) error {
	var ce *errClientUpload
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe):
		return errTooLarge()
	case errors.As(err, &ce):
		return errBadRequest(ce.msg)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errBadRequest("Malformed multipart body")
	}
	return nil
}

// copyFile copies one client file part into a new part with a clean name
// and content type.
func copyFile(mw *multipart.Writer, field string, p *multipart.Part) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": field, "filename": cleanFileName(p.FileName())}))
	h.Set("Content-Type", cleanContentType(p.Header.Get("Content-Type")))
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, p)
	return err
}

var contentTypeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.+-]{0,63}/[a-z0-9][a-z0-9.+-]{0,127}$`)

// cleanContentType keeps a plain type/subtype, else
// application/octet-stream.
func cleanContentType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !contentTypeRe.MatchString(mt) {
		return "application/octet-stream"
	}
	return mt
}

// cleanFileName keeps the last path element of a file name, without
// control characters, quotes or separators, at most 200 bytes.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`"/\:*?<>|`, r) || r == utf8.RuneError {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > 200 {
			break
		}
		b.WriteRune(r)
	}
	out := strings.Trim(b.String(), " .")
	if out == "" {
		return "attachment"
	}
	return out
}

// nextPart reads the next part; io.EOF at the end.
func nextPart(mr *multipart.Reader) (*multipart.Part, error) {
	p, err := mr.NextRawPart()
	var mbe *http.MaxBytesError
	if err != nil && !errors.Is(err, io.EOF) && !errors.As(err, &mbe) {
		return nil, &errClientUpload{msg: "Malformed multipart body"}
	}
	return p, err
}
