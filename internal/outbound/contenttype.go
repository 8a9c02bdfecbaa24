package outbound

import (
	"mime"
	"strings"
)

// safeTypes are the media types an attachment keeps on the portal's origin: documents, images
// that cannot carry script, plain text and archives. Anything else (HTML, SVG, XML, JavaScript,
// unknown types) is served as application/octet-stream, so a browser saves it instead of
// rendering a service owner's document as the portal's own page.
var safeTypes = map[string]bool{
	"application/pdf": true, "text/plain": true, "text/csv": true,
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/tiff": true, "image/bmp": true,
	"application/zip": true, "application/gzip": true, "application/x-7z-compressed": true,
	"application/msword": true, "application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"application/rtf": true, "application/json": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
	"application/vnd.oasis.opendocument.presentation":                           true,
}

// SafeContentType is the first of upstream's Content-Type and the declared media type that is
// on the allow-list (re-serialised, charset kept for text), else application/octet-stream.
func SafeContentType(upstream, declared string) string {
	for _, v := range []string{upstream, declared} {
		mt, params, err := mime.ParseMediaType(v)
		if err != nil || !safeTypes[mt] {
			continue
		}
		keep := map[string]string{}
		if cs, ok := params["charset"]; ok && strings.HasPrefix(mt, "text/") {
			keep["charset"] = cs
		}
		if s := mime.FormatMediaType(mt, keep); s != "" {
			return s
		}
	}
	return "application/octet-stream"
}
