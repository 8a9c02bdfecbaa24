package devidporten

import (
	"context"
	"fmt"
	"net/http"
)

// CallFrontChannel GETs each front-channel logout URL with client, as the browser's iframes
// would; tests without a browser use it from OnLogout. It returns the first failure.
func CallFrontChannel(ctx context.Context, client *http.Client, ev LogoutEvent) error {
	for _, u := range ev.FrontChannelURLs {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("front-channel logout request: %w", err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("front-channel logout: %w", err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode >= 400 {
			return fmt.Errorf("front-channel logout: status %d", resp.StatusCode)
		}
	}
	return nil
}
