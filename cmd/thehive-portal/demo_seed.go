package main

import (
	"fmt"

	"github.com/thehive-portal/thehive-portal/config"
	"github.com/thehive-portal/thehive-portal/internal/thehivetest"
)

// seededCase is a sample case as created, with who sees it.
type seededCase struct {
	thehivetest.Case
	sharing string
}

// seedDemo adds the sample cases of demoCases to a simulator that holds
// the test scenario (WithSeed), and returns them as created. The scenario's
// two cases shared with every external user (#46, #47) carry test texts:
// the demo makes them internal so that the sample users' lists read like
// real ones.
func seedDemo(sim *thehivetest.Sim, m config.Markers) ([]seededCase, error) {
	for _, id := range []string{thehivetest.CaseAllExternalID, thehivetest.CaseExternalStarID} {
		if err := sim.SetCaseAccess(id, thehivetest.Access{Kind: thehivetest.AccessOrganisation}); err != nil {
			return nil, fmt.Errorf("demo seed: %w", err)
		}
	}
	var out []seededCase
	for _, dc := range demoCases() {
		c, err := dc.seed(sim, m)
		if err != nil {
			return nil, fmt.Errorf("demo seed %q: %w", dc.title, err)
		}
		out = append(out, seededCase{c, dc.sharing})
	}
	return out, nil
}

// seed creates the case and its items, then adds the tags that mark
// attachments external.
func (dc demoCase) seed(sim *thehivetest.Sim, m config.Markers) (thehivetest.Case, error) {
	c := sim.CreateCase(analyst, thehivetest.NewCase{Title: dc.title, Description: dc.description,
		Severity: dc.severity, Status: "InProgress", Tags: dc.tags, Access: dc.access, Assignee: analyst})
	if err := dc.seedComments(sim, c.ID, m); err != nil {
		return c, err
	}
	tags, err := dc.seedAttachments(sim, c.ID, m)
	if err != nil {
		return c, err
	}
	if err := dc.seedObservables(sim, c.ID, m); err != nil {
		return c, err
	}
	if len(tags) > len(dc.tags) {
		if err := sim.SetCaseTags(c.ID, tags); err != nil {
			return c, err
		}
	}
	c.Tags = tags
	return c, nil
}

// seedComments adds the comments; those of external users as the portal
// writes them (service account, marker and attribution).
func (dc demoCase) seedComments(sim *thehivetest.Sim, id string, m config.Markers) error {
	for _, cm := range dc.comments {
		by, text := cm.by, cm.text
		if cm.portal != "" {
			by, text = thehivetest.ServiceLogin, portalComment(m, cm.portal, cm.text)
		}
		if _, err := sim.AddComment(id, by, text, cm.external); err != nil {
			return err
		}
	}
	return nil
}

// seedAttachments adds the files and returns the case tags with those that
// mark attachments external.
func (dc demoCase) seedAttachments(sim *thehivetest.Sim, id string, m config.Markers) ([]string, error) {
	tags := append([]string{}, dc.tags...)
	for _, a := range dc.attachments {
		att, err := sim.AddAttachment(id, analyst, a.name, a.contentType, []byte(a.content), a.native)
		if err != nil {
			return nil, err
		}
		if a.tagged {
			tags = append(tags, marker(m.AttachmentCaseTag, config.PlaceholderID, att.ID))
		}
	}
	return tags, nil
}

// seedObservables adds the observables; those of external users as the
// portal writes them (service account and author tag).
func (dc demoCase) seedObservables(sim *thehivetest.Sim, id string, m config.Markers) error {
	for _, o := range dc.observables {
		by, obs := analyst, o.o
		obs.TLP, obs.PAP = 2, 2
		if o.portal != "" {
			by = thehivetest.ServiceLogin
			obs.Tags = append(obs.Tags, marker(m.ObservableAuthor, config.PlaceholderEmail, o.portal))
		}
		if _, err := sim.AddObservable(id, by, obs); err != nil {
			return err
		}
	}
	return nil
}
