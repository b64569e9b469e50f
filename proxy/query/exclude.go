package query

import (
	"slices"

	"github.com/tidwall/sjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// outputFields are the top-level fields TheHive 5 puts in the objects of
// each kind (OutputCase, OutputComment, OutputAttachment, OutputObservable).
// A field missing here is simply not excluded: the filter's allow-list
// still drops whatever it does not show.
var outputFields = map[config.Kind][]string{
	config.KindCase: {"_id", "_type", "_createdBy", "_updatedBy", "_createdAt", "_updatedAt",
		"number", "title", "description", "severity", "severityLabel", "startDate", "endDate",
		"tags", "flag", "tlp", "tlpLabel", "pap", "papLabel", "status", "stage", "summary",
		"impactStatus", "resolutionStatus", "assignee", "access", "customFields", "userPermissions",
		"extraData", "newDate", "inProgressDate", "closedDate", "alertDate", "alertNewDate",
		"alertInProgressDate", "alertImportedDate", "timeToDetect", "timeToTriage", "timeToQualify",
		"timeToAcknowledge", "timeToResolve", "handlingDuration"},
	config.KindComment: {"_id", "_type", "createdBy", "createdAt", "updatedAt", "updatedBy",
		"message", "isEdited", "extraData", "external"},
	config.KindAttachment: {"_id", "_type", "_createdBy", "_updatedBy", "_createdAt", "_updatedAt",
		"name", "hashes", "size", "contentType", "id", "path", "extraData", "external"},
	config.KindObservable: {"_id", "_type", "_createdBy", "_updatedBy", "_createdAt", "_updatedAt",
		"dataType", "data", "startDate", "attachment", "tlp", "tlpLabel", "pap", "papLabel", "tags",
		"ioc", "sighted", "sightedAt", "reports", "message", "extraData", "ignoreSimilarity", "external"},
}

// Unneeded returns the fields TheHive outputs for kind that are not in
// needed (compared exactly, as TheHive names them): what the portal can
// ask TheHive to leave out with ExcludeFields.
func Unneeded(kind config.Kind, needed []string) []string {
	var out []string
	for _, f := range outputFields[kind] {
		if !slices.Contains(needed, f) {
			out = append(out, f)
		}
	}
	return out
}

// ExcludeFields sets excludeFields in an upstream query body built by this
// package, so that TheHive leaves those fields out of the objects it
// answers. body is returned unchanged when fields is empty or it cannot be
// set.
func ExcludeFields(body []byte, fields []string) []byte {
	if len(fields) == 0 || body == nil {
		return body
	}
	out, err := sjson.SetBytes(body, "excludeFields", fields)
	if err != nil {
		return body
	}
	return out
}
