package web

import (
	"mime"
	"strings"
)

// TypeLabel is a short, human name for a media type ("PDF"); "" when unknown.
func TypeLabel(mediaType string) string {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return ""
	}
	switch mt {
	case "application/pdf":
		return "PDF"
	case "application/zip":
		return "ZIP"
	case "text/plain":
		return "Tekst"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword":
		return "Word"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel":
		return "Excel"
	case "application/xml", "text/xml":
		return "XML"
	case "application/json":
		return "JSON"
	}
	if _, sub, ok := strings.Cut(mt, "/"); ok && len(sub) <= 6 {
		return strings.ToUpper(sub)
	}
	return ""
}
