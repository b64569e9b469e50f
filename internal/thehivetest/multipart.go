package thehivetest

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
)

// multipartForm is what a streamed multipart request carried.
type multipartForm struct {
	files  map[string][]blob // file parts, by part name
	values map[string]string // form fields; `_json` also when sent as a file part
}

// readMultipart streams the parts of r with mime/multipart.Reader. File parts whose
// name is in fileParts are hashed while copied (content kept unless the simulator
// discards content); other file parts are drained. Nothing else is buffered.
func (s *Sim) readMultipart(w http.ResponseWriter, r *http.Request, fileParts ...string) (*multipartForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errBadRequest("Expected a multipart/form-data body: %v", err)
	}
	form := &multipartForm{files: map[string][]blob{}, values: map[string]string{}}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return nil, partError(err)
		}
		err = s.readPart(p, form, fileParts)
		_ = p.Close()
		if err != nil {
			return nil, partError(err)
		}
	}
}

func partError(err error) error {
	var mbe *http.MaxBytesError
	var ae *apiError
	switch {
	case errors.As(err, &mbe):
		return errTooLarge()
	case errors.As(err, &ae):
		return ae
	}
	return errBadRequest("Invalid multipart body: %v", err)
}

func (s *Sim) readPart(p *multipart.Part, form *multipartForm, fileParts []string) error {
	name := p.FormName()
	isFile := p.FileName() != ""
	if isFile && slices.Contains(fileParts, name) {
		b, err := s.readBlob(p)
		form.files[name] = append(form.files[name], b)
		return err
	}
	if isFile && name != "_json" {
		_, err := io.Copy(io.Discard, p)
		return err
	}
	v, err := io.ReadAll(io.LimitReader(p, s.cfg.maxJSON+1))
	if int64(len(v)) > s.cfg.maxJSON {
		return errTooLarge()
	}
	form.values[name] = string(v)
	return err
}

// readBlob hashes a file part while copying it.
func (s *Sim) readBlob(p *multipart.Part) (blob, error) {
	h256, h1, h5 := sha256.New(), sha1.New(), md5.New()
	var buf *bytes.Buffer
	dst := io.MultiWriter(h256, h1, h5)
	if !s.cfg.discard {
		buf = &bytes.Buffer{}
		dst = io.MultiWriter(h256, h1, h5, buf)
	}
	n, err := io.Copy(dst, p)
	b := blob{
		name: p.FileName(), contentType: p.Header.Get("Content-Type"), size: n,
		sha256: hex.EncodeToString(h256.Sum(nil)), sha1: hex.EncodeToString(h1.Sum(nil)),
		md5: hex.EncodeToString(h5.Sum(nil)),
	}
	if b.contentType == "" {
		b.contentType = "application/octet-stream"
	}
	if buf != nil {
		b.content, b.stored = buf.Bytes(), true
	}
	return b, err
}

// newBlob builds a stored blob from in-memory content.
func newBlob(name, contentType string, content []byte) blob {
	s256, s1, m5 := sha256.Sum256(content), sha1.Sum(content), md5.Sum(content)
	return blob{
		name: name, contentType: contentType, size: int64(len(content)),
		sha256: hex.EncodeToString(s256[:]), sha1: hex.EncodeToString(s1[:]),
		md5: hex.EncodeToString(m5[:]), content: content, stored: true,
	}
}
