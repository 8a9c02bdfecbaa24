package richtext

// WithMaxInput truncates input longer than n bytes before rendering (default 256 KiB), so an
// oversized document cannot make the page expensive to render; Result.Truncated says so.
func WithMaxInput(n int) Option {
	return func(r *Renderer) {
		if n > 0 {
			r.maxSize = n
		}
	}
}

// WithConcurrency bounds how many markdown or HTML renders run at once (default GOMAXPROCS):
// a burst of requests for hostile content queues instead of taking every CPU. RenderContext
// waits for a slot only as long as its context lives.
func WithConcurrency(n int) Option {
	return func(r *Renderer) {
		if n > 0 {
			r.sem = make(chan struct{}, n)
		}
	}
}
