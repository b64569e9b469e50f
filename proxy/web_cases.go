package proxy

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/proxy/query"
	"github.com/thehive-portal/thehive-portal/proxy/ui"
)

const (
	casesPerPage = 20
	maxSearchLen = 200
	maxPageParam = 100000
)

// choice is one option of the list's status or sort select: the label and
// what it adds to the query.
type choice struct {
	value, label string
	expr         map[string]any      // status: the filter expression
	sort         []map[string]string // sort: the _fields
}

var statusChoices = []choice{
	{value: "", label: "Any status"},
	{value: "open", label: "Open", expr: map[string]any{"_ne": map[string]any{"_field": "stage", "_value": "Closed"}}},
	{value: "closed", label: "Closed", expr: map[string]any{"_field": "stage", "_value": "Closed"}},
	{value: "New", label: statusLabel("New")},
	{value: "InProgress", label: statusLabel("InProgress")},
	{value: "TruePositive", label: statusLabel("TruePositive")},
	{value: "FalsePositive", label: statusLabel("FalsePositive")},
	{value: "Indeterminate", label: statusLabel("Indeterminate")},
	{value: "Other", label: statusLabel("Other")},
	{value: "Duplicated", label: statusLabel("Duplicated")},
}

var sortChoices = []choice{
	{value: "newest", label: "Newest first", sort: []map[string]string{{"_createdAt": "desc"}, {"number": "desc"}}},
	{value: "oldest", label: "Oldest first", sort: []map[string]string{{"_createdAt": "asc"}, {"number": "asc"}}},
	{value: "updated", label: "Recently updated", sort: []map[string]string{{"_updatedAt": "desc"}, {"number": "desc"}}},
	{value: "number", label: "Case number", sort: []map[string]string{{"number": "desc"}}},
	{value: "severity", label: "Severity", sort: []map[string]string{{"severity": "desc"}, {"number": "desc"}}},
}

// listParams is what the user asked the case list for.
type listParams struct {
	search, status, sort string
	page                 int
}

func readListParams(c echo.Context) listParams {
	p := listParams{search: strings.TrimSpace(c.QueryParam("q")), status: c.QueryParam("status"),
		sort: c.QueryParam("sort"), page: 1}
	if !slices.ContainsFunc(statusChoices, func(ch choice) bool { return ch.value == p.status }) {
		p.status = ""
	}
	if !slices.ContainsFunc(sortChoices, func(ch choice) bool { return ch.value == p.sort }) {
		p.sort = sortChoices[0].value
	}
	if n, err := strconv.Atoi(c.QueryParam("page")); err == nil && n > 1 && n <= maxPageParam {
		p.page = n
	}
	return p
}

// handleCaseList is GET /cases: the cases the viewer may see, searched,
// filtered, sorted and paged by the same query path as the API's listCase
// (totals count visible cases only).
func (s *Server) handleCaseList(c echo.Context) error {
	p := readListParams(c)
	v := ui.CaseList{Layout: s.layout(c, "Cases", "cases"), Search: p.search, Status: p.status, Sort: p.sort,
		StatusOptions: options(statusChoices, p.status), SortOptions: options(sortChoices, p.sort), Page: p.page}
	q, err := s.caseListQuery(p)
	var out []byte
	var total int
	if err == nil {
		out, total, err = s.listCases(c.Request().Context(), q)
	}
	if ae := toAPIError(err); err != nil && ae.Status == http.StatusBadRequest {
		v.Error = "This search cannot run: " + ae.Message + "."
		return s.renderPage(c, http.StatusBadRequest, v)
	}
	if err != nil {
		return err
	}
	gjson.ParseBytes(out).ForEach(func(_, it gjson.Result) bool {
		v.Rows = append(v.Rows, caseRow(it))
		return true
	})
	pageList(&v, p, total)
	return s.renderPage(c, http.StatusOK, v)
}

// caseListQuery builds the listCase query of p and parses it with the
// API's strict parser, so only allowed fields and operators pass.
func (s *Server) caseListQuery(p listParams) (*query.Query, error) {
	if utf8.RuneCountInString(p.search) > maxSearchLen {
		return nil, errBadRequest("the search text is too long (at most 200 characters)")
	}
	var and []any
	if p.search != "" {
		and = append(and, s.searchExpr(p.search))
	}
	for _, ch := range statusChoices {
		if ch.value == p.status && p.status != "" {
			and = append(and, statusExpr(ch))
		}
	}
	ops := []any{map[string]any{"_name": "listCase"}}
	if len(and) > 0 {
		ops = append(ops, map[string]any{"_name": "filter", "_and": and})
	}
	for _, ch := range sortChoices {
		if ch.value == p.sort {
			ops = append(ops, map[string]any{"_name": "sort", "_fields": ch.sort})
		}
	}
	from := (p.page - 1) * casesPerPage
	ops = append(ops, map[string]any{"_name": "page", "from": from, "to": from + casesPerPage, "extraData": []string{"total"}})
	body, _ := json.Marshal(map[string]any{"query": ops})
	q, err := query.Parse(body, "", s.qlim)
	if err != nil {
		return nil, errBadRequest("it uses fields this portal does not show")
	}
	return q, nil
}

// searchExpr matches a case number (42 or #42) or words of the title or
// description, among the fields external users may filter on.
func (s *Server) searchExpr(text string) map[string]any {
	var or []any
	if n, err := strconv.ParseInt(strings.TrimPrefix(text, "#"), 10, 64); err == nil && n > 0 && n < 1e9 {
		or = append(or, map[string]any{"_field": "number", "_value": n})
	}
	for _, f := range []string{"title", "description"} {
		if slices.Contains(s.qlim.Fields[config.KindCase], f) {
			or = append(or, map[string]any{"_like": map[string]any{"_field": f, "_value": "*" + text + "*"}})
		}
	}
	if len(or) == 0 {
		or = append(or, map[string]any{"_field": "title", "_value": text}) // refused by the parser: not allowed
	}
	return map[string]any{"_or": or}
}

func statusExpr(ch choice) map[string]any {
	if ch.expr != nil {
		return ch.expr
	}
	return map[string]any{"_field": "status", "_value": ch.value}
}

func options(choices []choice, selected string) []ui.Option {
	out := make([]ui.Option, 0, len(choices))
	for _, ch := range choices {
		out = append(out, ui.Option{Value: ch.value, Label: ch.label, Selected: ch.value == selected})
	}
	return out
}

// pageList fills the counts and the links to the neighbour pages.
func pageList(v *ui.CaseList, p listParams, total int) {
	v.Total, v.Pages = total, max(1, (total+casesPerPage-1)/casesPerPage)
	if len(v.Rows) > 0 {
		v.First = (p.page-1)*casesPerPage + 1
		v.Last = v.First + len(v.Rows) - 1
	}
	link := func(page int) string {
		q := url.Values{}
		for k, val := range map[string]string{"q": p.search, "status": p.status, "sort": p.sort} {
			if val != "" && (k != "sort" || val != sortChoices[0].value) {
				q.Set(k, val)
			}
		}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return "/cases"
		}
		return "/cases?" + q.Encode()
	}
	if p.page > 1 {
		v.PrevURL = link(min(p.page-1, v.Pages))
	}
	if p.page < v.Pages {
		v.NextURL = link(p.page + 1)
	}
}

// caseRow is one cut case of the list.
func caseRow(it gjson.Result) ui.CaseRow {
	sev := int(it.Get("severity").Int())
	return ui.CaseRow{URL: caseURL(it), Number: it.Get("number").String(), Title: it.Get("title").String(),
		Severity: severityLabel(sev), SeverityLevel: severityLevel(sev), Status: statusLabel(it.Get("status").String()),
		Created: millis(it.Get("_createdAt")), Updated: millis(it.Get("_updatedAt"))}
}
