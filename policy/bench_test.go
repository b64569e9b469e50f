package policy

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/thehive-portal/thehive-portal/config"
)

// benchCase is a TheHive 5 case of about 1.5 KB, in TheHive's field order.
var benchCase = `{"_id":"~40964136","_type":"Case","_createdBy":"analyst@soc.example.org",` +
	`"_updatedBy":"lead@soc.example.org","_createdAt":1714380000000,"_updatedAt":1714390000000,` +
	`"number":4217,"title":"Phishing campaign against the finance department",` +
	`"description":"` + strings.Repeat(`Several users reported a \"payroll update\" mail; `, 8) + `",` +
	`"severity":2,"severityLabel":"MEDIUM","startDate":1714380000000,"endDate":null,` +
	`"tags":["phishing","finance","campaign:2024-17","portal:user=alice@client.example.com",` +
	`"portal:domain=partner.example.com"],"flag":false,"tlp":2,"tlpLabel":"AMBER","pap":2,` +
	`"papLabel":"AMBER","status":"InProgress","stage":"InProgress","assignee":"analyst@soc.example.org",` +
	`"customFields":[{"_id":"~1","name":"business-unit","type":"string","value":"Finance {EMEA}","order":0},` +
	`{"_id":"~2","name":"hours-spent","type":"integer","value":6,"order":1},` +
	`{"_id":"~3","name":"notes","type":"string","value":"quotes \" and ] brackets [","order":2}],` +
	`"userPermissions":["manageCase/create","manageCase/update","manageAlert/update"],` +
	`"extraData":{},"newDate":1714380000000,"inProgressDate":1714381000000,` +
	`"timeToDetect":0,"timeToTriage":600000,"handlingDuration":1000000,` +
	`"access":{"_kind":"ExternalAccessKind","users":["jane.doe@partner.example.com","bob@client.example.com"]}}`

// benchComment returns a TheHive 5 comment of about 1 KB.
func benchComment(message string) string {
	return `{"_id":"~81924312","_type":"Comment","_createdBy":"analyst@soc.example.org",` +
		`"_createdAt":1714380000000,"_updatedBy":"analyst@soc.example.org","_updatedAt":1714380500000,` +
		`"createdAt":1714380000000,"message":"` + message + strings.Repeat(
		` We blocked the sender domain at the gateway and purged the mail from all mailboxes.\n\n`, 10) +
		`","isEdited":false,"extraData":{}}`
}

func BenchmarkDecide(b *testing.B) {
	cfg, err := config.Load(strings.NewReader(""), minimalEnv)
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	jane := Viewer{Email: "jane.doe@partner.example.com", Groups: []string{"hr-partners"}}
	alice := Viewer{Email: "alice@client.example.com", Groups: []string{"partners"}}
	kase := gjson.Parse(benchCase)
	for _, bc := range []struct {
		name  string
		v     Viewer
		kind  config.Kind
		obj   string
		allow bool
	}{
		{"case/native", jane, config.KindCase, benchCase, true},
		{"case/tag", alice, config.KindCase, benchCase, true},
		{"case/denied", Viewer{Email: "x@rival.example.net"}, config.KindCase, benchCase, false},
		{"comment/prefix", jane, config.KindComment, benchComment("[external] Status update."), true},
		{"comment/internal", jane, config.KindComment, benchComment("Internal: status update."), false},
		{"attachment", jane, config.KindAttachment, `{"_id":"~41400","_type":"Attachment","name":"summary.pdf",` +
			`"size":20311,"contentType":"application/pdf","id":"3f1c0a","_createdAt":1714380000000}`, false},
		{"observable", jane, config.KindObservable, `{"_id":"~41506","_type":"Observable","dataType":"ip",` +
			`"data":"198.51.100.7","message":"seen in headers","tlp":2,"ioc":true,"sighted":false,` +
			`"tags":["phishing","portal:by=jane.doe@partner.example.com"],"_createdAt":1714380000000}`, true},
	} {
		obj := gjson.Parse(bc.obj)
		if d := e.Decide(bc.v, bc.kind, obj, kase); d.Allow != bc.allow {
			b.Fatalf("%s: %+v", bc.name, d)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.obj)))
			for b.Loop() {
				e.Decide(bc.v, bc.kind, obj, kase)
			}
		})
	}
}
