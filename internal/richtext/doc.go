// Package richtext renders content written by service owners (front-channel embeds, summaries,
// additional info, transmission content) as HTML that is safe to put into an Innboks page.
//
// Markdown (CommonMark + GFM tables, goldmark; raw HTML inside markdown is dropped, images show
// their alt text) and legacy HTML go through ONE bluemonday allow-list (see Policy). Plain text
// is escaped. What the policy lets through is then parsed as a fragment inside a <div>, as the
// browser will parse it in the page, and rendered again: the output closes everything it
// opens, so nothing of the page ends up inside a service owner's table or link. On the way,
// headings are demoted below the page's own, bidirectional controls are dropped (see Text) and
// plain-http links are marked "(http)".
//
// Each field allows the media types the Dialogporten specification allows there (see Field);
// anything else is shown as plain text.
//
// Rendering is bounded: input beyond a maximum size is cut, block quotes and lists nest at most
// maxContainerDepth deep, HTML at most maxHTMLDepth, tables have at most maxTableColumns
// columns and maxTableCells cells, and a document whose estimated work is over budget (the
// shapes on which goldmark's work grows with the square of the input, or just too much markup)
// is shown as plain text. Result says when any of this applied, so the page can tell the
// reader. RenderContext stops when its context ends, and a Renderer runs a bounded number of
// renders at once.
package richtext
