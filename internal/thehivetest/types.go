package thehivetest

import "encoding/json"

// Access kinds of a case (TheHive 5 `access._kind`; the external kinds exist since 5.6).
const (
	AccessOrganisation = "OrganisationAccessKind"
	AccessUser         = "UserAccessKind"
	AccessExternal     = "ExternalAccessKind"
	AccessAllExternal  = "AllExternalAccessKind"
)

// Access is the `access` object of a case. Users holds logins for UserAccessKind and
// external logins (or "*") for ExternalAccessKind; it is empty for the other kinds.
type Access struct {
	Kind  string   `json:"_kind"`
	Users []string `json:"users,omitempty"`
}

// CustomField is one custom field value of a case or alert (OutputCustomFieldValue).
type CustomField struct {
	ID    string `json:"_id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value any    `json:"value"`
	Order int    `json:"order"`
}

// Case is TheHive 5's OutputCase. Optional fields are omitted when empty, except
// customFields, userPermissions and extraData, which are always present.
type Case struct {
	ID                string         `json:"_id"`
	Type              string         `json:"_type"`
	CreatedBy         string         `json:"_createdBy"`
	UpdatedBy         string         `json:"_updatedBy,omitempty"`
	CreatedAt         int64          `json:"_createdAt"`
	UpdatedAt         int64          `json:"_updatedAt,omitempty"`
	Number            int            `json:"number"`
	Title             string         `json:"title"`
	Description       string         `json:"description"`
	Severity          int            `json:"severity"`
	SeverityLabel     string         `json:"severityLabel"`
	StartDate         int64          `json:"startDate"`
	EndDate           int64          `json:"endDate,omitempty"`
	Tags              []string       `json:"tags,omitempty"`
	Flag              bool           `json:"flag"`
	TLP               int            `json:"tlp"`
	TLPLabel          string         `json:"tlpLabel"`
	PAP               int            `json:"pap"`
	PAPLabel          string         `json:"papLabel"`
	Status            string         `json:"status"`
	Stage             string         `json:"stage"`
	Summary           string         `json:"summary,omitempty"`
	ImpactStatus      string         `json:"impactStatus,omitempty"`
	Assignee          string         `json:"assignee,omitempty"`
	Access            *Access        `json:"access,omitempty"`
	CustomFields      []CustomField  `json:"customFields"`
	UserPermissions   []string       `json:"userPermissions"`
	ExtraData         map[string]any `json:"extraData"`
	NewDate           int64          `json:"newDate"`
	InProgressDate    int64          `json:"inProgressDate,omitempty"`
	ClosedDate        int64          `json:"closedDate,omitempty"`
	TimeToDetect      int64          `json:"timeToDetect"`
	TimeToTriage      int64          `json:"timeToTriage,omitempty"`
	TimeToAcknowledge int64          `json:"timeToAcknowledge,omitempty"`
	TimeToResolve     int64          `json:"timeToResolve,omitempty"`
	HandlingDuration  int64          `json:"handlingDuration,omitempty"`
}

// Comment is TheHive 5's OutputComment. Note createdBy/createdAt without underscore.
type Comment struct {
	ID        string         `json:"_id"`
	Type      string         `json:"_type"`
	CreatedBy string         `json:"createdBy"`
	CreatedAt int64          `json:"createdAt"`
	UpdatedAt int64          `json:"updatedAt,omitempty"`
	UpdatedBy string         `json:"updatedBy,omitempty"`
	Message   string         `json:"message"`
	IsEdited  bool           `json:"isEdited"`
	ExtraData map[string]any `json:"extraData"`
	External  bool           `json:"external"`
}

// Attachment is TheHive 5's OutputAttachment. HashID (`id`) is the SHA-256 of the
// content and equals Hashes[0]; Hashes are sha256, sha1, md5 in that order.
type Attachment struct {
	ID          string         `json:"_id"`
	Type        string         `json:"_type"`
	CreatedBy   string         `json:"_createdBy"`
	CreatedAt   int64          `json:"_createdAt"`
	UpdatedBy   string         `json:"_updatedBy,omitempty"`
	UpdatedAt   int64          `json:"_updatedAt,omitempty"`
	Name        string         `json:"name"`
	Hashes      []string       `json:"hashes"`
	Size        int64          `json:"size"`
	ContentType string         `json:"contentType"`
	HashID      string         `json:"id"`
	Path        string         `json:"path"`
	ExtraData   map[string]any `json:"extraData"`
	External    bool           `json:"external"`
}

// Observable is TheHive 5's OutputObservable. File observables carry Attachment and no Data.
type Observable struct {
	ID               string         `json:"_id"`
	Type             string         `json:"_type"`
	CreatedBy        string         `json:"_createdBy"`
	UpdatedBy        string         `json:"_updatedBy,omitempty"`
	CreatedAt        int64          `json:"_createdAt"`
	UpdatedAt        int64          `json:"_updatedAt,omitempty"`
	DataType         string         `json:"dataType"`
	Data             string         `json:"data,omitempty"`
	StartDate        int64          `json:"startDate"`
	Attachment       *Attachment    `json:"attachment,omitempty"`
	TLP              int            `json:"tlp"`
	TLPLabel         string         `json:"tlpLabel"`
	PAP              int            `json:"pap"`
	PAPLabel         string         `json:"papLabel"`
	Tags             []string       `json:"tags,omitempty"`
	IOC              bool           `json:"ioc"`
	Sighted          bool           `json:"sighted"`
	SightedAt        int64          `json:"sightedAt,omitempty"`
	Reports          map[string]any `json:"reports"`
	Message          string         `json:"message,omitempty"`
	ExtraData        map[string]any `json:"extraData"`
	IgnoreSimilarity bool           `json:"ignoreSimilarity"`
	External         bool           `json:"external"`
}

// Task is TheHive 5's OutputTask.
type Task struct {
	ID          string         `json:"_id"`
	Type        string         `json:"_type"`
	CreatedBy   string         `json:"_createdBy"`
	UpdatedBy   string         `json:"_updatedBy,omitempty"`
	CreatedAt   int64          `json:"_createdAt"`
	UpdatedAt   int64          `json:"_updatedAt,omitempty"`
	Title       string         `json:"title"`
	Group       string         `json:"group"`
	Description string         `json:"description,omitempty"`
	Status      string         `json:"status"`
	Flag        bool           `json:"flag"`
	StartDate   int64          `json:"startDate,omitempty"`
	EndDate     int64          `json:"endDate,omitempty"`
	Assignee    string         `json:"assignee,omitempty"`
	Order       int            `json:"order"`
	DueDate     int64          `json:"dueDate,omitempty"`
	Mandatory   bool           `json:"mandatory"`
	ExtraData   map[string]any `json:"extraData"`
}

// Log is TheHive 5's OutputLog (a task log). Attachments is always present.
type Log struct {
	ID                string         `json:"_id"`
	Type              string         `json:"_type"`
	CreatedBy         string         `json:"_createdBy"`
	UpdatedBy         string         `json:"_updatedBy,omitempty"`
	CreatedAt         int64          `json:"_createdAt"`
	UpdatedAt         int64          `json:"_updatedAt,omitempty"`
	Message           string         `json:"message"`
	Date              int64          `json:"date"`
	Attachments       []Attachment   `json:"attachments"`
	Owner             string         `json:"owner"`
	IncludeInTimeline int64          `json:"includeInTimeline,omitempty"`
	ExtraData         map[string]any `json:"extraData"`
}

// Alert is a minimal TheHive 5 OutputAlert.
type Alert struct {
	ID             string         `json:"_id"`
	Type           string         `json:"_type"`
	CreatedBy      string         `json:"_createdBy"`
	UpdatedBy      string         `json:"_updatedBy,omitempty"`
	CreatedAt      int64          `json:"_createdAt"`
	UpdatedAt      int64          `json:"_updatedAt,omitempty"`
	AlertType      string         `json:"type"`
	Source         string         `json:"source"`
	SourceRef      string         `json:"sourceRef"`
	ExternalLink   string         `json:"externalLink,omitempty"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Severity       int            `json:"severity"`
	SeverityLabel  string         `json:"severityLabel"`
	Date           int64          `json:"date"`
	Tags           []string       `json:"tags,omitempty"`
	TLP            int            `json:"tlp"`
	TLPLabel       string         `json:"tlpLabel"`
	PAP            int            `json:"pap"`
	PAPLabel       string         `json:"papLabel"`
	Follow         bool           `json:"follow"`
	CustomFields   []CustomField  `json:"customFields"`
	ObservableCnt  int            `json:"observableCount"`
	CaseID         string         `json:"caseId,omitempty"`
	Status         string         `json:"status"`
	Stage          string         `json:"stage"`
	ExtraData      map[string]any `json:"extraData"`
	NewDate        int64          `json:"newDate"`
	TimeToDetect   int64          `json:"timeToDetect"`
	InProgressDate int64          `json:"inProgressDate,omitempty"`
}

// Audit is TheHive 5's OutputAudit. Object and Context are snapshots taken when the
// change happened; delete audits have empty Details and no Object.
type Audit struct {
	ID         string          `json:"_id"`
	Type       string          `json:"_type"`
	CreatedBy  string          `json:"_createdBy"`
	CreatedAt  int64           `json:"_createdAt"`
	Action     string          `json:"action"`
	MainAction bool            `json:"mainAction"`
	RequestID  string          `json:"requestId"`
	RootID     string          `json:"rootId"`
	Details    map[string]any  `json:"details"`
	ObjectID   string          `json:"objectId"`
	ObjectType string          `json:"objectType"`
	Object     json.RawMessage `json:"object,omitempty"`
	Context    json.RawMessage `json:"context,omitempty"`
}
