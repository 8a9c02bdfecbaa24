// Package present turns what the service layer returns into the props the views render, in
// the person's language: the inbox's rows, filters and folder links, the party chooser's
// options, the dialog page (header, content slot, thread, attachments, activity log, seen-by,
// actions and folder moves) and the person's words for a refused change or a failed batch.
//
// It is pure: no HTTP, no I/O, no clock of its own (the caller passes now). A handler reads
// the request, calls the service layer, passes the answer through present and renders the
// view; the mapping is tested here without a server. What a dialog offers (an embed, a link,
// an action) is decided by the service layer's rules (Rules, implemented by *inbox.Dialogs),
// the same rules the click path applies, so the page never offers what the portal refuses.
package present
