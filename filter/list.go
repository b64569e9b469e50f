package filter

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// itemDepth returns the depth at which the items of a list body open: 2 in
// an array, 3 in the paged form (a shape List checks later).
func itemDepth(body []byte) int {
	for _, c := range body {
		switch c {
		case '[':
			return 2
		case '{':
			return 3
		case ' ', '\t', '\n', '\r':
			continue
		}
		return 0
	}
	return 0
}

// pagedResult checks the paged form and returns its result array.
func pagedResult(obj string, off int) (string, int, error) {
	var result string
	var resultOff int
	hasTotal := false
	m := members{s: obj, i: 1}
	for key, val, ok := m.next(); ok; key, val, ok = m.next() {
		switch key {
		case "result":
			if val[0] != '[' {
				return "", 0, shapeError("paged result is not an array")
			}
			result, resultOff = val, off+m.i-len(val)
		case "total":
			if !isNumber(val) {
				return "", 0, shapeError("paged total is not a number")
			}
			hasTotal = true
		default:
			return "", 0, shapeError("paged form has a key other than result and total")
		}
	}
	if result == "" || !hasTotal {
		return "", 0, shapeError("object is not the paged form {result, total}")
	}
	return result, resultOff, nil
}

// checkItems verifies that the spans the scan recorded are exactly the
// elements of the array list (at offset off in the body), each an object.
func checkItems(list string, off int, spans []span) error {
	i := 1 // after '['
	for k, sp := range spans {
		i = skipSpace(list, i)
		if k > 0 {
			if i >= len(list) || list[i] != ',' {
				return shapeError("item " + strconv.Itoa(k) + " is not an object")
			}
			i = skipSpace(list, i+1)
		}
		if i >= len(list) || off+i != int(sp.start) || list[i] != '{' {
			return shapeError("item " + strconv.Itoa(k) + " is not an object")
		}
		i = int(sp.end) - off
	}
	if i = skipSpace(list, i); i >= len(list) || list[i] != ']' {
		return shapeError("item " + strconv.Itoa(len(spans)) + " is not an object")
	}
	return nil
}

// visibleItems calls visible on every item and returns the visible ones
// inside the window, appended to shown, with the count of all visible ones.
func visibleItems(body string, items []span, visible func(gjson.Result) bool, w Window, shown []string) ([]string, int) {
	total := 0
	if visible == nil {
		return shown, 0
	}
	for _, sp := range items {
		item := body[sp.start:sp.end]
		if !visible(gjson.Result{Type: gjson.JSON, Raw: item, Index: int(sp.start)}) {
			continue
		}
		if total >= w.From && (w.To <= 0 || total < w.To) {
			shown = append(shown, item)
		}
		total++
	}
	return shown, total
}
