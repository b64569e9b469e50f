package thehivetest

import "slices"

// blob is an uploaded or seeded file: metadata, and content unless discarded.
type blob struct {
	id                string // preset `~id` (seeding) or empty
	name, contentType string
	size              int64
	sha256, sha1, md5 string
	content           []byte
	stored            bool
}

// commentRoot returns the rootId and audit context of a comment's parent.
func (st *store) commentParent(rec *commentRec) (root string, object auditComment, context any) {
	object = auditComment{Message: rec.Message}
	if c := st.cases[rec.caseID]; c != nil {
		ac := c.renderAudit()
		object.Case = ac
		return c.ID, object, ac
	}
	if a := st.alerts[rec.alertID]; a != nil {
		ra := a.render()
		object.Alert = ra
		return a.ID, object, ra
	}
	return "", object, nil
}

// createComment adds a comment to a case (or alert when c is nil); the caller holds mu.
func (st *store) createComment(t *txn, c *caseRec, a *alertRec, cm Comment) *commentRec {
	cm.ID, cm.CreatedBy, cm.CreatedAt = st.idOr(cm.ID), t.actor, t.at
	rec := &commentRec{seq: st.nextSeq(), Comment: cm}
	if c != nil {
		rec.caseID = c.ID
		c.comments = append(slices.Clip(c.comments), rec.ID)
	} else {
		rec.alertID = a.ID
	}
	st.comments[rec.ID] = rec
	if c != nil && st.retain > 0 {
		st.forgetOldComment(c)
	}
	root, obj, ctx := st.commentParent(rec)
	st.audit(t, auditEntry{action: "create", objectType: "Comment", objectID: rec.ID, rootID: root,
		details: map[string]any{"author": t.actor}, object: obj, context: ctx})
	return rec
}

// forgetOldComment drops the case's oldest comment written after the
// seed when more than st.retain were (WithRetention): seeded comments,
// which come first, stay, so that leak tests keep their canaries however
// long they run.
func (st *store) forgetOldComment(c *caseRec) {
	i := 0
	for i < len(c.comments) && st.comments[c.comments[i]] != nil && st.comments[c.comments[i]].seq <= st.seedSeq {
		i++
	}
	if len(c.comments)-i > st.retain {
		delete(st.comments, c.comments[i])
		c.comments = slices.Delete(c.comments, i, i+1)
	}
}

func (st *store) updateComment(t *txn, rec *commentRec, msg *string, external *bool) {
	d := map[string]any{}
	if msg != nil && *msg != rec.Message {
		rec.Message, rec.IsEdited = *msg, true
		d["message"] = *msg
	}
	setVal(&rec.External, external, "external", d)
	rec.UpdatedBy, rec.UpdatedAt = t.actor, t.at
	root, obj, ctx := st.commentParent(rec)
	st.audit(t, auditEntry{action: "update", objectType: "Comment", objectID: rec.ID, rootID: root,
		details: d, object: obj, context: ctx})
}

func (st *store) deleteComment(t *txn, rec *commentRec) {
	root, _, ctx := st.commentParent(rec)
	if c := st.cases[rec.caseID]; c != nil {
		c.comments = without(c.comments, rec.ID)
	}
	delete(st.comments, rec.ID)
	st.audit(t, auditEntry{action: "delete", objectType: "Comment", objectID: rec.ID, rootID: root, context: ctx})
}

// newAttachment stores b as an attachment record (owner fields set by the caller).
func (st *store) newAttachment(t *txn, b blob, external bool) *attachmentRec {
	rec := &attachmentRec{seq: st.nextSeq(), content: b.content, stored: b.stored, Attachment: Attachment{
		ID: st.idOr(b.id), CreatedBy: t.actor, CreatedAt: t.at, Name: b.name,
		Hashes: []string{b.sha256, b.sha1, b.md5}, Size: b.size, ContentType: b.contentType,
		HashID: b.sha256, Path: "/" + b.name, External: external,
	}}
	st.attachments[rec.ID] = rec
	return rec
}

// addCaseAttachment creates a case attachment and audits it; the caller holds mu.
func (st *store) addCaseAttachment(t *txn, c *caseRec, b blob, external bool) *attachmentRec {
	rec := st.newAttachment(t, b, external)
	rec.caseID = c.ID
	c.attachments = append(slices.Clip(c.attachments), rec.ID)
	st.auditAttachment(t, "create", rec, c, map[string]any{"name": b.name, "size": b.size, "contentType": b.contentType})
	return rec
}

func (st *store) auditAttachment(t *txn, action string, rec *attachmentRec, c *caseRec, d map[string]any) {
	ac := c.renderAudit()
	var obj any
	if action != "delete" {
		obj = auditAttachment{Attachment: rec.render(), Case: ac}
	}
	st.audit(t, auditEntry{action: action, objectType: "Attachment", objectID: rec.ID, rootID: c.ID,
		details: d, object: obj, context: ac})
}

func (st *store) setAttachmentExternal(t *txn, rec *attachmentRec, c *caseRec, external bool) {
	d := map[string]any{}
	setVal(&rec.External, &external, "external", d)
	rec.UpdatedBy, rec.UpdatedAt = t.actor, t.at
	st.auditAttachment(t, "update", rec, c, d)
}

func (st *store) deleteCaseAttachment(t *txn, rec *attachmentRec, c *caseRec) {
	c.attachments = without(c.attachments, rec.ID)
	delete(st.attachments, rec.ID)
	st.auditAttachment(t, "delete", rec, c, nil)
}

// createObservable adds o (and its file) to case c; the caller holds mu.
func (st *store) createObservable(t *txn, c *caseRec, o Observable, file *blob) *observableRec {
	o.ID, o.CreatedBy, o.CreatedAt = st.idOr(o.ID), t.actor, t.at
	if o.StartDate == 0 {
		o.StartDate = t.at
	}
	rec := &observableRec{Observable: o, seq: st.nextSeq(), caseID: c.ID}
	if file != nil {
		a := st.newAttachment(t, *file, o.External)
		a.obsID, rec.attachmentID, rec.Data = rec.ID, a.ID, ""
	}
	st.observables[rec.ID] = rec
	c.observables = append(slices.Clip(c.observables), rec.ID)
	st.auditObservable(t, "create", rec, map[string]any{"dataType": o.DataType, "data": o.Data})
	return rec
}

func (st *store) auditObservable(t *txn, action string, rec *observableRec, d map[string]any) {
	var ctx, obj any
	if c := st.cases[rec.caseID]; c != nil {
		ctx = c.renderAudit()
	}
	if action != "delete" {
		obj = st.renderObservable(rec)
	}
	st.audit(t, auditEntry{action: action, objectType: "Observable", objectID: rec.ID, rootID: rec.caseID,
		details: d, object: obj, context: ctx})
}

// observableUpdate is a parsed InputUpdateObservable.
type observableUpdate struct {
	message                        *string
	tlp, pap                       *int
	ioc, sighted, ignoreSim, extrn *bool
	sightedAt                      *int64
	tags                           *[]string
	addTags, removeTags            []string
}

func (st *store) updateObservable(t *txn, rec *observableRec, u observableUpdate) {
	o := rec.Observable
	d := map[string]any{}
	setStr(&o.Message, u.message, "message", d)
	setVal(&o.TLP, u.tlp, "tlp", d)
	setVal(&o.PAP, u.pap, "pap", d)
	setVal(&o.IOC, u.ioc, "ioc", d)
	setVal(&o.Sighted, u.sighted, "sighted", d)
	setVal(&o.SightedAt, u.sightedAt, "sightedAt", d)
	setVal(&o.IgnoreSimilarity, u.ignoreSim, "ignoreSimilarity", d)
	setVal(&o.External, u.extrn, "external", d)
	if tags, changed := newTags(o.Tags, caseUpdate{tags: u.tags, addTags: u.addTags, removeTags: u.removeTags}); changed {
		o.Tags = tags
		d["tags"] = tags
	}
	o.UpdatedBy, o.UpdatedAt = t.actor, t.at
	rec.Observable = o
	st.auditObservable(t, "update", rec, d)
}

func (st *store) deleteObservable(t *txn, rec *observableRec) {
	if c := st.cases[rec.caseID]; c != nil {
		c.observables = without(c.observables, rec.ID)
	}
	st.auditObservable(t, "delete", rec, nil)
	st.dropObservable(rec.ID)
}
