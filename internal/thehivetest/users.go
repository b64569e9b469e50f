package thehivetest

import (
	"context"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
)

// User is a TheHive user reachable through an API key.
type User struct {
	Login       string
	Name        string
	Type        string // Normal, Service or External
	Profile     string
	Permissions []string
}

// DefaultPermissions returns the permissions of the default non-reader users.
func DefaultPermissions() []string {
	return []string{
		"manageCase/create", "manageCase/update", "manageCase/delete", "manageCaseAccess",
		"manageComment", "manageObservable", "manageTask", "manageAlert/create", "manageAlert/update",
	}
}

// casePermissions are the permissions reported in a case's userPermissions.
var casePermissions = []string{"manageCase/update", "manageComment", "manageObservable", "manageTask"}

func defaultUsers() map[string]User {
	return map[string]User{
		ServiceKey: {Login: ServiceLogin, Name: "Portal service account", Type: "Service", Profile: "analyst", Permissions: DefaultPermissions()},
		AnalystKey: {Login: AnalystLogin, Name: "Ana Lyst", Type: "Normal", Profile: "analyst", Permissions: DefaultPermissions()},
		LeadKey:    {Login: LeadLogin, Name: "Lee Lead", Type: "Normal", Profile: "org-admin", Permissions: DefaultPermissions()},
		ReaderKey:  {Login: ReaderLogin, Name: "Read Only", Type: "Normal", Profile: "read-only", Permissions: []string{}},
	}
}

func (u *User) can(perm string) bool { return slices.Contains(u.Permissions, perm) }

func (u *User) casePerms() []string {
	out := []string{}
	for _, p := range casePermissions {
		if u.can(p) {
			out = append(out, p)
		}
	}
	return out
}

type ctxKey struct{}

func callerFrom(r *http.Request) *User {
	u, _ := r.Context().Value(ctxKey{}).(*User)
	if u == nil {
		return &User{Login: "anonymous"}
	}
	return u
}

// authenticate resolves the bearer key and checks X-Organisation.
func (s *Sim) authenticate(r *http.Request) (*http.Request, error) {
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	u, known := s.cfg.users[key]
	if !ok || !known || key == "" {
		return nil, errAuthentication()
	}
	if org := r.Header.Get("X-Organisation"); org != "" && org != s.cfg.orgName && org != s.cfg.orgID {
		return nil, errAuthorization("User " + u.Login + " is not a member of organisation " + org)
	}
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, &u)), nil
}

func requirePerm(r *http.Request, perm, action string) error {
	if callerFrom(r).can(perm) {
		return nil
	}
	return errAuthorization("Your are not authorized to " + action + ", you haven't the permission " + perm)
}

// userID derives a stable `~id` for a login.
func userID(login string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(login))
	return "~" + itoa(int64(5000+h.Sum32()%4000))
}

type outputOrgLink struct {
	OrganisationID string `json:"organisationId"`
	Organisation   string `json:"organisation"`
	Profile        string `json:"profile"`
}

type outputUser struct {
	ID            string          `json:"_id"`
	Type          string          `json:"_type"`
	CreatedBy     string          `json:"_createdBy"`
	CreatedAt     int64           `json:"_createdAt"`
	Login         string          `json:"login"`
	Name          string          `json:"name"`
	HasKey        bool            `json:"hasKey"`
	HasPassword   bool            `json:"hasPassword"`
	HasMFA        bool            `json:"hasMFA"`
	Locked        bool            `json:"locked"`
	Profile       string          `json:"profile"`
	Permissions   []string        `json:"permissions"`
	Organisation  string          `json:"organisation"`
	Organisations []outputOrgLink `json:"organisations"`
	UserType      string          `json:"type"`
	ExtraData     map[string]any  `json:"extraData"`
}

func (s *Sim) handleCurrentUser(w http.ResponseWriter, r *http.Request) error {
	u := callerFrom(r)
	writeJSON(w, http.StatusOK, outputUser{
		ID: userID(u.Login), Type: "User", CreatedBy: "admin@thehive.local",
		CreatedAt: 1717000000000, Login: u.Login, Name: u.Name, HasKey: true,
		Profile: u.Profile, Permissions: append([]string{}, u.Permissions...),
		Organisation: s.cfg.orgName, UserType: u.Type, ExtraData: map[string]any{},
		Organisations: []outputOrgLink{{OrganisationID: s.cfg.orgID, Organisation: s.cfg.orgName, Profile: u.Profile}},
	})
	return nil
}

func (s *Sim) handleStatus(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"versions": map[string]string{"TheHive": "5.6.0-simulator", "Scalligraph": "5.6.0-simulator"},
		"config": map[string]any{
			"protectDownloadsWith": "malware", "authType": []string{"key"},
			"capabilities": []string{"authByKey"}, "ssoAutoLogin": false, "pollingDuration": 1000,
		},
	})
	return nil
}
