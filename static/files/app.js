// Innboks: the little behaviour htmx does not cover. Loaded as a file (CSP script-src 'self').
(function () {
  "use strict";
  // "Select all shown": toggles every row checkbox in the same form.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.matches("[data-select-all]")) return;
    var form = t.form;
    if (!form) return;
    form.querySelectorAll('input[name="dialog"]').forEach(function (cb) { cb.checked = t.checked; });
  });
  // The language switch comes back to the page shown. Its hidden return_to is rendered with the
  // page; when htmx changes the address (folder switch, search, filters), follow it.
  function followAddress() {
    var here = location.pathname + location.search;
    document.querySelectorAll("input[data-follow-address]").forEach(function (el) { el.value = here; });
  }
  document.addEventListener("htmx:pushedIntoHistory", followAddress);
  document.addEventListener("htmx:replacedInHistory", followAddress);
  // After htmx pushes a new URL, move focus to the main region's heading for screen readers only
  // when a whole page region was swapped.
  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.detail && e.detail.elt;
    if (el && el.matches && el.matches("[data-focus-after-swap]")) {
      var h = el.querySelector("h1, h2");
      if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
    }
  });
})();
