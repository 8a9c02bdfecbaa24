// Package export is how a person takes their inbox away: a search's results as a CSV file
// (Results) and many dialogs' attachments as one ZIP file (Attachments). Both stream: rows and
// files are written as they arrive, in constant memory, and nothing is built whole first.
//
// It is part of the service layer: it works through internal/inbox (the search, fresh dialog
// loads with their ownership check, downloads through the outbound fence) and knows nothing of
// echo, templ or views. The words of a file (column headers, statuses, folders) come from the
// caller, in the user's language.
package export
