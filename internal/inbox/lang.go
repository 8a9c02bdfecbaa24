package inbox

// Embeds are asked for the way Altinn's own inbox asks: the user's language first, then the
// other Norwegian written standard, then English; and the user's time zone, so a service owner
// that prints dates prints them in Norwegian time.
const embedTimeZone = `timezone="Europe/Oslo"`

// acceptLanguage is the Accept-Language for lang (nb, nn or en; anything else reads as nb).
func acceptLanguage(lang string) string {
	switch lang {
	case "nn":
		return "nn, nb;q=0.9, no;q=0.8, en;q=0.7"
	case "en":
		return "en, nb;q=0.9, no;q=0.8, nn;q=0.7"
	default:
		return "nb, no;q=0.9, nn;q=0.8, en;q=0.7"
	}
}
