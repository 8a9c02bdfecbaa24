package inbox

import "github.com/innboks/innboks/dpclient"

// User is the person a call is made for: the key their caches and limits are kept under (the
// session id), the language they read (nb, nn, en) and their access token.
type User struct {
	Key   string
	Lang  string
	Token dpclient.TokenSource
}

// opts carry the token and the language to every Dialogporten call, so titles and summaries
// come back in the language the user reads.
func (u *User) opts() []dpclient.CallOption {
	return []dpclient.CallOption{dpclient.WithCallToken(u.Token), dpclient.WithLanguage(u.Lang)}
}
