package thehivetest

import "slices"

// addExtraData fills the extraData names the simulator supports; others are ignored.
//
//	Case:       attachmentCount, shareCount (always 0), permissions, observableStats
//	Comment:    case (the OutputCase)
//	Observable: permissions, isOwner (always true)
func (q *queryRun) addExtraData(it *qitem, names []string) {
	m := extraDataOf(q.render(it))
	if m == nil {
		return
	}
	for _, n := range names {
		if v, ok := q.extraValue(it.rec, n); ok {
			m[n] = v
		}
	}
}

func (q *queryRun) extraValue(rec any, name string) (any, bool) {
	switch r := rec.(type) {
	case *caseRec:
		switch name {
		case "attachmentCount":
			return len(r.attachments), true
		case "shareCount":
			return 0, true
		case "permissions":
			return slices.Clone(q.perms), true
		case "observableStats":
			return q.observableStats(r), true
		}
	case *commentRec:
		if c := q.st.cases[r.caseID]; c != nil && name == "case" {
			return c.render(q.perms), true
		}
	case *observableRec:
		switch name {
		case "permissions":
			return slices.Clone(q.perms), true
		case "isOwner":
			return true, true
		}
	}
	return nil, false
}

func (q *queryRun) observableStats(c *caseRec) map[string]int {
	ioc := 0
	for _, id := range c.observables {
		if o := q.st.observables[id]; o != nil && o.IOC {
			ioc++
		}
	}
	return map[string]int{"total": len(c.observables), "ioc": ioc, "seen": 0}
}

// extraDataOf returns the extraData map of a rendered output object.
func extraDataOf(out any) map[string]any {
	switch v := out.(type) {
	case *Case:
		return v.ExtraData
	case *Comment:
		return v.ExtraData
	case *Attachment:
		return v.ExtraData
	case *Observable:
		return v.ExtraData
	case *Task:
		return v.ExtraData
	case *Log:
		return v.ExtraData
	case *Alert:
		return v.ExtraData
	}
	return nil
}
