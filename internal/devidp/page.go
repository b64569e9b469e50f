package devidp

// signInPage lists the sample users. One form holds the authorization
// request; each user's button submits it with login_as set to that user.
const signInPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: thehive-portal demo</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #1d2430; }
h1 { font-size: 1.4rem; }
p.note { background: #fff6d6; border: 1px solid #e8d48a; padding: .6rem .8rem; border-radius: 4px; }
ul { list-style: none; padding: 0; }
li { border: 1px solid #d5dae3; border-radius: 6px; margin: .6rem 0; padding: .8rem 1rem; display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
.who { line-height: 1.4; }
.email, .groups { color: #56606f; font-size: .9rem; }
button { font-size: 1rem; padding: .45rem .9rem; border-radius: 4px; border: 1px solid #2b5fb4; background: #2f6bd0; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<h1>Sign in to the thehive-portal demo</h1>
<p class="note">Development sign-in: no password. Pick a sample user to continue as that user.
Never use this sign-in outside the demo.</p>
<form method="post" action="{{.Action}}">
{{range .Params}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<ul>
{{range .Users}}<li>
<div class="who"><strong>{{.Name}}</strong>, {{.About}}<br>
<span class="email">{{.Email}}</span><br>
<span class="groups">groups: {{range $i, $g := .Groups}}{{if $i}}, {{end}}{{$g}}{{else}}none{{end}}</span></div>
<button type="submit" name="login_as" value="{{.Email}}">Sign in</button>
</li>
{{end}}</ul>
</form>
</body>
</html>
`
