// Package richtext renders content written by service owners (front-channel embeds, summaries,
// additional info, transmission content) as HTML that is safe to put into an Innboks page.
//
// Markdown (CommonMark + GFM tables, goldmark; raw HTML inside markdown is dropped) and legacy
// HTML go through ONE bluemonday allow-list (see Policy). Plain text is escaped. Headings are
// demoted so that service-owner content always sits below the page's own h1.
package richtext
