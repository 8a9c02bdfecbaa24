// Package inbox is the service layer: what a person does with Dialogporten, as plain calls. The
// web handlers read a request, call one of these with the user and plain arguments, and render
// what comes back; they never call Dialogporten or a service owner themselves.
//
// Three services, each built once at start (internal/app) and safe for concurrent use:
//
//   - Parties: the parties a person may act for (GET /enduser/parties), ordered and indexed for
//     the chooser (internal/partyindex: own person first, sub-units under their parents, search by name
//     or organisation number, the groups "all organisations" and "all persons"), cached per
//     session for a few minutes.
//   - Search: the dialogs of one party or many. Dialogporten takes at most 100 parties per
//     search; beyond that Search.Dialogs merges batches of 100 lazily in the requested order,
//     asking a batch (ten at a time) only when the merge reaches the end of its fetched rows,
//     and keeps per session the rows fetched but not shown for the next page, so the order is
//     exact across batches and pages. The cursor ("ct" in the URL) keeps each batch's keyset
//     position (cursor.go). Also the filter choices (Facets), cached per session and scope.
//   - Dialogs: one dialog, always fresh. Load fetches it with the ownership check (a malformed,
//     unknown or foreign id is one ErrNotFound). Content, Act, APIAct and Download follow the
//     dialog's own URLs through the outbound fence (internal/outbound) with the dialog token;
//     the Correspondence guard (corrguard.go) and the token choice (tokens.go) decide what
//     credential may go where. The *Refusal methods give the one rule by which the page is
//     drawn and the click is checked. SetLabel and BulkLabel file dialogs.
//
// A User is the person a call is made for: the key of their caches and limits (the session id),
// their language and their access token. Errors are Dialogporten's own (dpclient.ErrNotFound,
// ErrGone, ErrUnauthorized …, kept as they are), the outbound fence's (outbound.ErrURLRefused …)
// or this package's (ErrNotFound, ErrActionGone, ErrNotAuthorized, ErrExpired, ErrNotOffered,
// ErrBusy, ErrCorrespondenceMismatch); the handlers map them to pages. Every cache is one
// internal/cache.Cache; a Limiter bounds the expensive work (group searches, bulk changes,
// downloads) each session may run at once.
package inbox
