package proxy

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"
)

// maxWebhookBytes bounds a webhook body (they carry whole objects).
const maxWebhookBytes = 4 << 20

// handleWebhook is POST /hooks/thehive: TheHive reports a change; the
// portal drops what it cached about the case at once, and queues the
// notifications the change may cause (never waiting for them). The body is
// used only as a "case X changed" signal, never passed on. Without a
// configured secret the endpoint does not exist.
func (s *Server) handleWebhook(c echo.Context) error {
	if !s.cfg.Webhook.Secret.IsSet() {
		return &apiError{Status: http.StatusNotFound, Type: "NotFoundError", Message: "Not found"}
	}
	got, _ := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.cfg.Webhook.Secret.Reveal()))
	if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return errUnauthenticated()
	}
	body, err := readBody(c, maxWebhookBytes)
	if err != nil {
		return err
	}
	if err := s.filter.Validate(body); err != nil {
		return errBadRequest("Invalid JSON body")
	}
	ctx := c.Request().Context()
	for _, id := range webhookCases(gjson.ParseBytes(body)) {
		if err := s.cache.dropCase(ctx, id); err != nil {
			return errUnavailable(err)
		}
	}
	s.notifyChange(gjson.ParseBytes(body))
	return c.NoContent(http.StatusNoContent)
}

// webhookCases lists the case ids a webhook names: its rootId, and its
// objectId when the object is a case (audit envelope or the older one).
func webhookCases(ev gjson.Result) []string {
	var ids []string
	add := func(v gjson.Result) {
		if v.Type == gjson.String && objectID.MatchString(v.Str) && !contains(ids, v.Str) {
			ids = append(ids, v.Str)
		}
	}
	add(ev.Get("rootId"))
	if t := ev.Get("objectType").Str; strings.EqualFold(t, "case") {
		add(ev.Get("objectId"))
	}
	add(ev.Get("object.case._id"))
	return ids
}
