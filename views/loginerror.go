package views

// loginReasons maps auth's error kinds to what the login-failure page says happened (catalog
// key "loginError.<value>"). Kinds that are not here get the general message.
var loginReasons = map[string]string{
	"state":    "state",  // expired, used, or started in another browser
	"issuer":   "verify", // the answer could not be confirmed as ID-porten's for this login
	"nonce":    "verify",
	"id_token": "verify",
	"provider": "provider", // cancelled at ID-porten, or ID-porten unavailable
	"code":     "code",     // the one-time code was refused
	"identity": "identity", // no valid national identity number: retrying cannot help
	"config":   "config",   // Innboks and ID-porten are not set up for each other: retrying cannot help
	"session":  "session",  // our session store failed: try again in a moment
}

// messageKey is the catalog key of what the page says happened.
func (p LoginErrorProps) messageKey() string {
	if p.ACR {
		return "loginError.acr"
	}
	if r, ok := loginReasons[p.Reason]; ok {
		return "loginError." + r
	}
	return "loginError.lead"
}

// retryable reports whether the page offers to log in again: not when the handler says it
// cannot help, nor for the reasons whose message says so (the message and the button must
// agree).
func (p LoginErrorProps) retryable() bool {
	return !p.Permanent && p.Reason != "identity" && p.Reason != "config"
}
