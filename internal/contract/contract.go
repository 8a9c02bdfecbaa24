// Package contract validates HTTP traffic against the pinned Dialogporten OpenAPI document
// (npm @digdir/dialogporten-schema, swagger.verified.json under testdata).
//
// Both the typed client (dpclient) and the emulator (internal/dpemu) are tested through it: two
// independent readings of the spec, each checked against the published contract. It is imported
// by tests only.
package contract

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SchemaVersion is the npm version of @digdir/dialogporten-schema the spec file was taken from.
// `make spec` fetches exactly this version; keep the two in step.
const SchemaVersion = "1.118.6"

//go:embed testdata/swagger.verified.json
var specFile []byte

// SpecBytes returns the pinned spec as published (it starts with a UTF-8 BOM).
func SpecBytes() []byte { return specFile }

var (
	loadOnce sync.Once
	loaded   *openapi3.T
	loadErr  error
)

// Load parses the pinned spec once. The UTF-8 BOM is stripped, and one known oddity of the
// published document is corrected (see patchAcceptLanguage).
func Load() (*openapi3.T, error) {
	loadOnce.Do(func() {
		// The spec writes ids as format "guid" (and sometimes "uuid"); kin-openapi knows neither,
		// so without this every id would pass unchecked.
		guid := openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)
		openapi3.DefineStringFormatValidator("guid", guid)
		openapi3.DefineStringFormatValidator("uuid", guid)
		data := bytes.TrimPrefix(specFile, []byte("\xef\xbb\xbf"))
		loader := openapi3.NewLoader()
		loaded, loadErr = loader.LoadFromData(data)
		if loadErr != nil {
			return
		}
		patchAcceptLanguage(loaded)
		loadErr = loaded.Validate(context.Background(), openapi3.DisableExamplesValidation())
	})
	return loaded, loadErr
}

// patchAcceptLanguage replaces the schema of the `accept-Language` header parameter. The
// generator models it as an object (V1EndUserCommon_AcceptedLanguages), while on the wire it is
// the ordinary Accept-Language string header (ENDUSER-API.md §2: "ignore that").
func patchAcceptLanguage(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.In == openapi3.ParameterInHeader &&
					strings.EqualFold(p.Value.Name, "accept-language") {
					p.Value.Schema = openapi3.NewStringSchema().NewRef()
				}
			}
		}
	}
}

// Validator checks requests and responses against the spec.
type Validator struct {
	router routers.Router
}

// New builds a Validator over the pinned spec.
func New() (*Validator, error) {
	doc, err := Load()
	if err != nil {
		return nil, fmt.Errorf("contract: load spec: %w", err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: router: %w", err)
	}
	return &Validator{router: r}, nil
}

// ErrNotInSpec is returned for a request whose method and path the spec does not describe.
var ErrNotInSpec = errors.New("contract: no operation in the spec for this request")

// specRequest returns a copy of r whose path starts at /api/v1/, so a base path such as
// /dialogporten (the APIM prefix) does not matter, and whose host is irrelevant.
func specRequest(r *http.Request, body []byte) (*http.Request, error) {
	path := r.URL.Path
	i := strings.Index(path, "/api/v1/")
	if i < 0 {
		return nil, ErrNotInSpec
	}
	c := r.Clone(r.Context())
	u := *r.URL
	u.Scheme, u.Host = "", ""
	u.Path = path[i:]
	u.RawPath = ""
	c.URL = &u
	c.Host = ""
	c.RequestURI = ""
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ContentLength = int64(len(body))
	return c, nil
}

func (v *Validator) route(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s %s (%v)", ErrNotInSpec, r.Method, r.URL.Path, err)
	}
	return route, params, nil
}

func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
	}
}

// Request validates one request (method, path, query, headers, body) against the spec.
func (v *Validator) Request(r *http.Request, body []byte) error {
	c, err := specRequest(r, body)
	if err != nil {
		return err
	}
	route, params, err := v.route(c)
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: c, PathParams: params, Route: route, Options: options()}
	if err := openapi3filter.ValidateRequest(c.Context(), in); err != nil {
		return fmt.Errorf("contract: request %s %s: %w", r.Method, r.URL.RequestURI(), err)
	}
	return nil
}

// Response validates one response to r against the spec: the status must be documented for
// the operation, and a documented body must match its schema.
func (v *Validator) Response(r *http.Request, status int, header http.Header, body []byte) error {
	c, err := specRequest(r, nil)
	if err != nil {
		return err
	}
	route, params, err := v.route(c)
	if err != nil {
		return err
	}
	opts := options()
	opts.IncludeResponseStatus = true
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: c, PathParams: params, Route: route, Options: opts},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(c.Context(), in); err != nil {
		return fmt.Errorf("contract: response %d to %s %s: %w", status, r.Method, r.URL.RequestURI(), err)
	}
	if status < 300 && len(body) > 0 && strings.Contains(header.Get("Content-Type"), "json") && !json.Valid(body) {
		return fmt.Errorf("contract: response %d to %s %s: body is not JSON", status, r.Method, r.URL.RequestURI())
	}
	return nil
}

// Transport is an http.RoundTripper that validates every request it sends and every response
// it receives, collecting the failures. Requests outside the spec (the service-owner side a
// dialog links to, the token exchange, Correspondence) are passed through unless Strict is set.
type Transport struct {
	Base      http.RoundTripper
	Validator *Validator
	Strict    bool

	mu      sync.Mutex
	errs    []error
	checked int
}

// RoundTrip sends the request through Base and validates both directions.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		_ = r.Body.Close()
		body = b
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	reqErr := t.Validator.Request(r, body)
	if errors.Is(reqErr, ErrNotInSpec) && !t.Strict {
		return t.base().RoundTrip(r)
	}
	resp, err := t.base().RoundTrip(r)
	if err != nil {
		t.record(reqErr)
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	t.record(reqErr, t.Validator.Response(r, resp.StatusCode, resp.Header, respBody))
	return resp, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) record(errs ...error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.checked++
	for _, err := range errs {
		if err != nil {
			t.errs = append(t.errs, err)
		}
	}
}

// Errors returns the validation failures seen so far.
func (t *Transport) Errors() []error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]error(nil), t.errs...)
}

// Checked returns how many exchanges inside the spec were validated.
func (t *Transport) Checked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.checked
}
