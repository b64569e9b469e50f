package idpshim

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBasicToForm(t *testing.T) {
	for _, tc := range []struct {
		name, body    string
		user, pass    string
		basic         bool
		status        int
		wantID, wantS string
	}{
		{name: "basic moved to the form", user: "portal", pass: "s%3Ac", basic: true, wantID: "portal", wantS: "s:c"},
		{name: "form only is left alone", body: "client_id=a&client_secret=b", wantID: "a", wantS: "b"},
		{name: "two methods", body: "client_secret=b", user: "a", pass: "b", basic: true, status: 400},
		{name: "bad escaping", user: "%zz", pass: "x", basic: true, status: 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/token", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic {
				r.SetBasicAuth(tc.user, tc.pass)
			}
			status, _, ok := BasicToForm(r)
			if status != tc.status || ok != (tc.status == 0) {
				t.Fatalf("status %d ok %v", status, ok)
			}
			if ok && (r.PostForm.Get("client_id") != tc.wantID || r.PostForm.Get("client_secret") != tc.wantS) {
				t.Errorf("form %v", r.PostForm)
			}
		})
	}
}
