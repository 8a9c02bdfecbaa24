// Innboks: the little behaviour htmx does not cover. Loaded as a file (CSP script-src 'self').
(function () {
  "use strict";
  // htmx's configuration, set before its ready handler reads any (this file runs right after htmx
  // in the bundle): no eval, no script tags from answers, no injected indicator <style>, so htmx
  // runs under a CSP without 'unsafe-inline' and 'unsafe-eval' (htmx.org/docs/#security). Here,
  // not in a <meta name="htmx-config"> on every page: the script is fetched once.
  // attributesToSettle leaves out htmx's default "style": when a swap brings in an element with the
  // id of one it replaces, htmx first copies the old one's settle attributes onto it with
  // setAttribute, so an inline style the old one had (set through CSSOM, which the CSP allows: by
  // a browser extension or a QA tool) became a style attribute, which style-src 'self' refuses.
  // responseHandling swaps 4xx/5xx answers too (htmx 2 drops them), so the error fragment the
  // error handler sends is shown instead of nothing; historyCacheSize 0 keeps personal pages out
  // of localStorage.
  Object.assign(htmx.config, {
    allowEval: false, allowScriptTags: false, includeIndicatorStyles: false, selfRequestsOnly: true,
    attributesToSettle: ["class", "width", "height"],
    historyCacheSize: 0, refreshOnHistoryMiss: true,
    responseHandling: [{ code: "204", swap: false }, { code: "[23]..", swap: true }, { code: "[45]..", swap: true, error: true }]
  });
  // "Select all shown": toggles every row checkbox in the same form. It comes hidden (it needs
  // this script); shown here, on the page and in every fragment htmx swaps in.
  function showSelectAll(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-select-all]").forEach(function (cb) { cb.parentNode.hidden = false; });
  }
  showSelectAll(document);
  document.addEventListener("htmx:load", function (e) { if (e.detail && e.detail.elt) showSelectAll(e.detail.elt); });
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.matches("[data-select-all]")) return;
    var form = t.form;
    if (!form) return;
    form.querySelectorAll('input[name="dialog"]').forEach(function (cb) { cb.checked = t.checked; });
  });
  // A row's exact change time, as the tooltip of its relative one ("for 2 timer siden"), written
  // on the first hover from the time's datetime, in Norwegian time like the rest of the page:
  // the list does not carry every row's time twice (issue 10: 25 bytes a row, 330 compressed
  // on a page). Keyboard and touch never had the tooltip; the dialog's page shows the time.
  var exactTime = new Intl.DateTimeFormat("nb-NO", { day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Oslo" });
  document.addEventListener("mouseover", function (e) {
    var t = e.target instanceof Element ? e.target.closest('.dialog-list time[data-testid="dialog-updated"]') : null;
    if (!t || t.title) return;
    var d = new Date(t.dateTime);
    if (!isNaN(d.getTime())) t.title = exactTime.format(d).replace(",", "");
  });
  // A submit button marked data-native-submit (the bulk form's ZIP download) leaves its htmx form
  // to the browser: the answer is a file to save, not HTML to swap. Stopped in the capture phase,
  // the submit never reaches htmx's listener on the form; the browser's own submission goes on.
  document.addEventListener("submit", function (e) {
    if (e.submitter instanceof Element && e.submitter.hasAttribute("data-native-submit")) e.stopPropagation();
  }, true);
  // The language switch comes back to the page shown. Its hidden return_to is rendered with the
  // page; when htmx changes the address (folder switch, search, filters), follow it.
  function followAddress() {
    var here = location.pathname + location.search;
    document.querySelectorAll("input[data-follow-address]").forEach(function (el) { el.value = here; });
  }
  document.addEventListener("htmx:pushedIntoHistory", followAddress);
  document.addEventListener("htmx:replacedInHistory", followAddress);

  // A page answered at an address other than its own (/inbox without a party is the current
  // party's inbox at once, not a redirect) names its own in <link rel=canonical
  // data-replace-address>: put it in the address bar, so a reload or a shared link shows the same.
  (function () {
    var own = document.querySelector("link[rel=canonical][data-replace-address]");
    var href = own && own.getAttribute("href");
    if (!href || href.charAt(0) !== "/" || href.charAt(1) === "/") return;
    if (location.pathname + location.search !== href) history.replaceState(history.state, "", href);
    followAddress();
  })();

  // Party chooser keys (views/party.templ): an accountant with thousands of clients switches party
  // in a keystroke. In the search box ArrowDown goes to the first option and Enter follows the
  // first match; on an option the arrows, Home and End move; Escape closes the disclosure. The
  // plain GET form and links underneath stay as they are.
  var partyOption = 'a[data-testid="party-option"]';
  var partyEnterTaken = false; // the last keydown was an Enter this script acted on
  function partyTarget(e) { return e.target instanceof Element && e.target.matches("input[data-party-keys]"); }

  // partyParts finds the search box, its form and the results from any element of a chooser (the
  // header's panel, or the chooser page, where form and results are siblings).
  function partyParts(el) {
    var scope = el.closest(".party-chooser__panel, main");
    var input = scope && scope.querySelector("input[data-party-keys]");
    var results = scope && scope.querySelector('[data-testid="party-results"]');
    if (!input || !input.form || !results) return null;
    return { input: input, form: input.form, results: results };
  }
  function partyOptions(parts) { return Array.prototype.slice.call(parts.results.querySelectorAll(partyOption)); }

  // partyFresh reports whether the results shown answer the text in the box (and the "show
  // deleted" switch): a fragment still on its way, or one for an older text, must not be chosen.
  function partyFresh(parts) {
    return (parts.results.getAttribute("data-query") || "") + "\n" + (parts.results.getAttribute("data-deleted") || "") === partyWant(parts);
  }
  // partyWant is the search the box and the switch ask for now.
  function partyWant(parts) {
    var deleted = parts.form.elements.namedItem("deleted");
    return parts.input.value + "\n" + (deleted && deleted.checked ? "1" : "");
  }

  // partyChoose follows the first option, or submits the plain form when nothing matches.
  function partyChoose(parts) {
    var first = partyOptions(parts)[0];
    if (first) first.click();
    else if (parts.form.requestSubmit) parts.form.requestSubmit();
    else parts.form.submit();
  }
  function partyEnter(e, parts) {
    if (parts.input.value.trim() === "") return; // nothing typed: submit as before
    e.preventDefault();
    if (partyFresh(parts)) { partyChoose(parts); return; }
    var list = parts.results.querySelector("ul[hx-boost]");
    if (!window.htmx || !list) { parts.form.submit(); return; }
    // Stale (the results for this text are not in yet): one request chooses the first match and
    // answers with its inbox (GET /parties/first, the address set by HX-Push-Url), instead of
    // waiting for the search and then following its first option: one round trip, not two. It
    // goes as the options do, a boosted link in the results list; the search still on its way is
    // dropped.
    window.htmx.trigger(parts.input, "htmx:abort");
    var a = document.createElement("a");
    a.href = "/parties/first?" + new URLSearchParams(new FormData(parts.form)).toString();
    a.hidden = true;
    list.appendChild(a);
    window.htmx.process(a);
    a.click();
  }

  // partyMove moves focus among the options (no wrap; up from the first returns to the box).
  function partyMove(e, parts) {
    var opts = partyOptions(parts);
    var i = opts.indexOf(e.target);
    var to;
    switch (e.key) {
      case "ArrowDown": to = opts[Math.min(i + 1, opts.length - 1)]; break;
      case "ArrowUp": to = i > 0 ? opts[i - 1] : parts.input; break;
      case "Home": to = opts[0]; break;
      case "End": to = opts[opts.length - 1]; break;
      default: return;
    }
    e.preventDefault();
    if (to) to.focus();
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    var t = e.target;
    if (!(t instanceof Element)) return;
    var details = t.closest("details.party-chooser");
    if (e.key === "Escape" && details && details.open) {
      e.preventDefault();
      details.open = false;
      var summary = details.querySelector("summary");
      if (summary) summary.focus();
      return;
    }
    if (t.matches("input[data-party-keys]")) {
      var parts = partyParts(t);
      if (!parts || e.shiftKey) return;
      if (e.key === "Enter") partyEnter(e, parts);
      else if (e.key === "ArrowDown") {
        var first = partyOptions(parts)[0];
        if (first) { e.preventDefault(); first.focus(); }
      }
      return;
    }
    if (t.matches(partyOption)) {
      var p = partyParts(t);
      if (p) partyMove(e, p);
    }
  });
  // Chromium submits a form and fires "search" on the keypress that follows Enter. A cancelled
  // keydown normally suppresses that keypress, but not every source of key events does (DevTools'
  // Input.dispatchKeyEvent sends its own "char"), so an Enter taken above is cancelled here too.
  document.addEventListener("keydown", function (e) { partyEnterTaken = e.key === "Enter" && e.defaultPrevented && partyTarget(e); }, false);
  document.addEventListener("keypress", function (e) {
    if (e.key === "Enter" && partyEnterTaken && partyTarget(e)) e.preventDefault();
    partyEnterTaken = false;
  });

  // Opening the chooser puts focus in its search box ("toggle" does not bubble: capture it).
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.open || !d.matches(".party-chooser")) return;
    var input = d.querySelector("input[data-party-keys]");
    if (input) input.focus();
  }, true);

  // A results list swapped in under the focus would drop it on <body>: keep it in the list.
  var partyFocusInResults = false;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var a = document.activeElement;
    partyFocusInResults = !!(a && a.matches && a.matches(partyOption) && e.detail.target && e.detail.target.contains(a));
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!partyFocusInResults) return;
    partyFocusInResults = false;
    if (document.activeElement && document.activeElement !== document.body) return;
    var input = document.querySelector("input[data-party-keys]");
    var parts = input && partyParts(input);
    if (!parts) return;
    var first = partyOptions(parts)[0];
    (first || parts.input).focus();
  });

  // say puts text in a polite status (role=status, rendered with the page, so that a change is
  // announced; what htmx swaps in is no live region). The status is emptied at once and filled a
  // moment later, so the same text after another swap is a change and is announced again; a
  // newer text for the same status replaces one still waiting.
  function say(status, text) {
    clearTimeout(status.sayTimer);
    status.textContent = "";
    status.sayTimer = setTimeout(function () { status.textContent = text; }, 150);
  }

  // Tell screen-reader users how many parties match (WCAG 4.1.3). The results are swapped whole and
  // are no live region; each fragment states its count (data-count-text) and the chooser's
  // persistent status says it.
  function partyAnnounce(results) {
    var text = results.getAttribute("data-count-text");
    var scope = results.closest(".party-chooser__panel, main");
    var status = scope && scope.querySelector("[data-party-status]");
    if (text !== null && status) say(status, text);
  }
  // htmx fires afterSettle on the fragment it swapped in (outerHTML: the new #party-results).
  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.target;
    if (el instanceof Element && el.matches('[data-testid="party-results"]')) partyAnnounce(el);
  });

  // A star (views.StarForm) swaps its own form for the new state: the focus would fall to <body>
  // with the old one. It goes to the new star, whose name says what pressing it does now.
  var starFocus = false;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var t = e.detail.target;
    starFocus = t instanceof Element && t.matches('[data-testid="star-form"]') && t.contains(document.activeElement);
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    if (!starFocus || !(e.target instanceof Element) || !e.target.matches('[data-testid="star-form"]')) return;
    starFocus = false;
    e.target.querySelector("button").focus();
  });

  // "Show more" (views.DialogRows) swaps its own item for the next rows: the focus goes to the
  // first new row's link (it fell to <body> with the button), and the inbox's status says how
  // many came (its data-more, "%d" for the number).
  var moreAfter = null; // the last row before "show more", while the rows after it are swapped in
  document.addEventListener("htmx:beforeSwap", function (e) {
    var t = e.detail.target;
    moreAfter = t instanceof Element && t.id === "list-more" ? t.previousElementSibling : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var row = moreAfter && moreAfter.nextElementSibling, first = row, n = 0;
    var status = document.getElementById("inbox-status");
    if (!row) return;
    moreAfter = null;
    for (; row && row.matches('[data-testid="dialog-row"]'); row = row.nextElementSibling) n++;
    if (!n) return;
    (first.querySelector("h2 a") || first.querySelector("input")).focus();
    if (status) say(status, status.getAttribute("data-more").replace("%d", n));
  });

  // A search or filter swaps the results (#dialog-results), which say what the status is to say
  // about them (data-status: how many, none, or why the search is not applied). The date fields
  // (not swapped) are marked invalid as their hint, swapped along out of band, says.
  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.target, status = document.getElementById("inbox-status");
    if (!(el instanceof Element) || el.id !== "dialog-results" || !status || !el.hasAttribute("data-status")) return;
    say(status, el.getAttribute("data-status"));
    var bad = document.querySelector('#inbox-date-hint [data-testid="date-invalid"]');
    ["f-from", "f-to"].forEach(function (id) {
      var f = document.getElementById(id);
      if (bad) f.setAttribute("aria-invalid", "true");
      else f.removeAttribute("aria-invalid");
    });
  });

  // Tell screen-reader users about the keys, only where this script runs (the hint is hidden and
  // unreferenced in the markup, so without JavaScript it promises nothing).
  function partyHint(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("input[data-party-keys][data-keys-hint]").forEach(function (input) {
      var id = input.getAttribute("data-keys-hint");
      if (!document.getElementById(id)) return;
      var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (ids.indexOf(id) < 0) ids.push(id);
      input.setAttribute("aria-describedby", ids.join(" "));
    });
  }
  partyHint(document);
  document.addEventListener("htmx:load", function (e) { if (e.detail && e.detail.elt) partyHint(e.detail.elt); });
  // Boosted navigation (hx-boost on the dialog list and the chooser's results, views/): htmx
  // fetches the next page and swaps its body in, so no stylesheet or script is fetched or parsed
  // again; without JavaScript the same links are plain links.
  // The server answers a boosted request as a plain navigation, the full page: it must not see
  // HX-Request, which asks for a fragment. The CSRF header (hx-headers on <body>) stays.
  document.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.boosted) delete e.detail.headers["HX-Request"];
  });
  // After the swap: scrolled to the top (the swap's show:window:top), focus on the new page's
  // heading so a screen reader starts there, as after a page load; the title came with the page.
  // A folder link swaps the inbox (#inbox) the same way, its title in the fragment (<title>,
  // which htmx applies): focus on its heading, scrolled to it if need be.
  function focusHeading(scope, keepScroll) {
    var h1 = scope.querySelector("h1");
    if (h1 && !h1.hasAttribute("tabindex")) h1.setAttribute("tabindex", "-1");
    (h1 || scope).focus({ preventScroll: keepScroll });
  }
  document.addEventListener("htmx:afterSettle", function (e) {
    var main = document.getElementById("main");
    if (e.detail && e.detail.boosted && e.detail.target === document.body && main) focusHeading(main, true);
    else if (e.target instanceof Element && e.target.id === "inbox") focusHeading(e.target, false);
  });
  // htmx keeps no pages for Back (historyCacheSize 0: Back reloads), yet before every pushed
  // address it still copies the whole old body and serialises it (15–20 ms under a 50-row inbox)
  // only to throw the copy away. hx-history="false" anywhere in the document skips that copy.
  document.body.setAttribute("hx-history", "false");
  // A boosted page change swaps the whole body, and htmx tears the old one down element by element
  // (two events and an extension lookup per element: 30–50 ms for a 50-row inbox) before the new
  // page can be painted. Once htmx has read what it needs from the old page (the address is being
  // pushed), its elements are moved out of the document at once and torn down by htmx itself (an
  // innerHTML swap of their holder: event streams closed, listeners removed) a frame later.
  var bodySwap = false;
  var oldBodies = [];
  document.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    bodySwap = !!(d && d.boosted && d.target === document.body);
    // The chooser's results (swapped as the user types) go the same way: the list is not where
    // the search was sent from, so nothing htmx reads later lives in it.
    if (d && d.shouldSwap && d.target instanceof Element && d.target.matches('[data-testid="party-results"]') &&
        d.requestConfig && d.requestConfig.elt instanceof Element && !d.target.contains(d.requestConfig.elt) && d.target.firstChild) {
      var holder = document.createElement("div");
      while (d.target.firstChild) holder.appendChild(d.target.firstChild);
      oldBodies.push(holder);
    }
  });
  function bodyMoveOut() {
    if (!bodySwap) return;
    bodySwap = false;
    var holder = document.createElement("div");
    while (document.body.firstChild) holder.appendChild(document.body.firstChild);
    oldBodies.push(holder);
  }
  document.addEventListener("htmx:pushedIntoHistory", bodyMoveOut);
  document.addEventListener("htmx:replacedInHistory", bodyMoveOut);
  document.addEventListener("htmx:afterSwap", function () {
    bodySwap = false;
    if (!oldBodies.length) return;
    var gone = oldBodies;
    oldBodies = [];
    var tearDown = function () {
      gone.forEach(function (holder) {
        if (window.htmx) window.htmx.swap(holder, "", { swapStyle: "innerHTML", swapDelay: 0, settleDelay: 0 });
      });
    };
    // After the new page is painted; a hidden tab paints no frames, so it does not wait for one.
    if (document.visibilityState === "visible") requestAnimationFrame(function () { setTimeout(tearDown, 0); });
    else setTimeout(tearDown, 0);
  });
  // A boosted GET that fails on the way (the network, or a redirect to the login at ID-porten,
  // another origin) becomes the plain navigation it stands for.
  document.addEventListener("htmx:sendError", function (e) {
    var d = e.detail;
    if (!d || !d.boosted || !d.requestConfig || d.requestConfig.verb !== "get") return;
    location.assign(d.pathInfo && d.pathInfo.finalRequestPath || d.requestConfig.path);
  });
  // Preload (htmx-ext-preload, preload="innboks:press"): a dialog is asked for when the mouse
  // button goes down on its link, a click's first half; the server fetches it from Dialogporten
  // and answers 204, and the click's request takes that fetch (inbox.Dialogs.Prefetch). Only the mouse: a
  // finger that touches a row to scroll the list must not load, and so mark as seen, the dialog.
  // No hover either, for the same reason.
  document.addEventListener("mousedown", function (e) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || !window.htmx || !(e.target instanceof Element)) return;
    var a = e.target.closest("a[href]");
    if (a && a.closest('[preload="innboks:press"]')) window.htmx.trigger(a, "innboks:press");
  }, true);

  // ---- The open dialog's own live updates (views.DialogLiveRegion, GET /dialogs/:id/live) ----
  // The server holds the dialog's dialogEvents subscription (one per user and dialog, however
  // many tabs) and tells this page what happened. On "dialog-updated" the page fetches its parts
  // (GET /dialogs/:id/parts, a burst of events makes one fetch) and swaps in, in place, only the
  // parts whose version changed: no scroll jump (the block at the top of the window stays where
  // it is), focus kept, and the status line says politely what changed. When the stream fails
  // the page polls the same route every 45 s until it is back (for at most 15 minutes after the
  // page was shown). Without JavaScript: a reload.
  var liveDebounce = 150; // ms: the events of one change arrive together
  var liveMaxWait = 600; // ms: a steady stream of events still refreshes the page
  var livePollEvery = 45000;
  var livePollFor = 15 * 60000;
  var liveWaitFor = 20000; // ms a pressed action waits for its update
  var dl = null; // the page's live state: {el, es, url, timer, first, poll, missed, inflight, again}
  var pending = null; // an action pressed on a dialog page: {dialog, action, until, timer}

  function liveState(s, state) { s.el.setAttribute("data-live-state", state); }
  function liveStop() {
    if (!dl) return;
    if (dl.es) dl.es.close();
    document.documentElement.classList.remove("app-live-on");
    clearTimeout(dl.timer);
    clearInterval(dl.poll);
    dl = null;
  }
  // livePoll polls the parts while the stream is down, for at most livePollFor after the page
  // was shown, as the inbox's poll: an unattended tab must not keep its session alive.
  function livePoll(s, on) {
    clearInterval(s.poll);
    s.poll = on ? setInterval(function () {
      if (Date.now() - s.shown > livePollFor) { clearInterval(s.poll); liveState(s, "stopped"); return; }
      liveFetch(s);
    }, livePollEvery) : 0;
  }
  function liveSchedule(s) {
    var now = Date.now();
    if (!s.first) s.first = now;
    clearTimeout(s.timer);
    var wait = Math.max(0, Math.min(liveDebounce, s.first + liveMaxWait - now));
    s.timer = setTimeout(function () { s.first = 0; liveFetch(s); }, wait);
  }
  function liveStart(el) {
    liveStop();
    var s = { el: el, es: null, url: el.getAttribute("data-parts"), shown: Date.now(), timer: 0, first: 0, poll: 0, missed: false, inflight: false, again: false };
    dl = s;
    document.documentElement.classList.add("app-live-on");
    if (!window.EventSource) { liveState(s, "polling"); livePoll(s, true); return; }
    var es = new EventSource(el.getAttribute("data-dialog-live"));
    s.es = es;
    es.addEventListener("stream-up", function () {
      liveState(s, "up");
      livePoll(s, false);
      // Changes between the page's load (or the last failure) and now would be lost: look once
      // after a failure, or when a pressed action waits for its answer.
      if (s.missed || pending) liveSchedule(s);
      s.missed = false;
    });
    es.addEventListener("stream-down", function () { liveState(s, "down"); s.missed = true; livePoll(s, true); });
    es.addEventListener("dialog-updated", function () { liveSchedule(s); });
    es.addEventListener("dialog-deleted", function () { liveDeleted(s); });
    es.addEventListener("watch-ended", function (e) {
      es.close();
      if (e.data === "session") { liveState(s, "ended"); return; }
      liveState(s, "polling");
      livePoll(s, true);
    });
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) { liveState(s, "polling"); livePoll(s, true); return; }
      liveState(s, "connecting"); // the browser reconnects by itself
      s.missed = true;
    };
  }
  // liveScan starts the page's live updates, or stops those of a page that is gone (boosted
  // navigation swaps the body; the old page's stream must close with it).
  function liveScan() {
    var el = document.querySelector("[data-dialog-live]");
    if (!el) { liveStop(); return; }
    if (!dl || dl.el !== el) {
      liveStart(el);
      pendingResume(el);
    }
  }

  function liveFetch(s) {
    if (s.inflight) { s.again = true; return; }
    s.inflight = true;
    fetch(s.url, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        var to = r.headers.get("HX-Redirect");
        if (to) { location.assign(to); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html !== null && dl === s) liveApply(s, html); })
      .catch(function () {})
      .then(function () {
        s.inflight = false;
        if (s.again && dl === s) { s.again = false; liveFetch(s); }
      });
  }

  // liveAnchor is what the reader is looking at: the first part that reaches into the window,
  // and in it the first element that starts inside the window, with their positions.
  function liveAnchor() {
    var parts = document.querySelectorAll("#dialog .dialog__part");
    for (var i = 0; i < parts.length; i++) {
      var r = parts[i].getBoundingClientRect();
      if (r.bottom <= 0 || r.height === 0) continue;
      var inner = null;
      var all = parts[i].querySelectorAll("*");
      for (var j = 0; j < all.length && !inner; j++) if (all[j].getBoundingClientRect().top >= 0) inner = all[j];
      return { part: parts[i].id, partTop: r.top, el: inner, top: inner ? inner.getBoundingClientRect().top : 0 };
    }
    return null;
  }
  function liveKeepAnchor(a) {
    if (!a) return;
    var moved;
    if (a.el && a.el.isConnected) moved = a.el.getBoundingClientRect().top - a.top;
    else {
      var part = document.getElementById(a.part);
      if (!part) return;
      moved = part.getBoundingClientRect().top - a.partTop;
    }
    if (moved) window.scrollBy({ top: moved, behavior: "instant" }); // not smooth: the reader must not see it move
  }
  // focusPath finds the focused element again in a part swapped in: by the nearest element with
  // an id (itself, or a transmission, …) and its place among that element's focusable ones.
  var focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  function focusPath(part, el) {
    var holder = el;
    while (holder !== part && !holder.id) holder = holder.parentElement;
    var all = Array.prototype.slice.call(holder.querySelectorAll(focusable));
    return { id: holder === part ? "" : holder.id, index: holder === el ? -1 : all.indexOf(el) };
  }
  function focusAgain(part, path) {
    var holder = path.id ? document.getElementById(path.id) : part;
    var el = holder && path.index >= 0 ? holder.querySelectorAll(focusable)[path.index] : holder;
    if (!el || !part.contains(el)) el = part;
    if (el === part) part.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
  }

  function liveApply(s, html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var changed = [];
    var anchor = liveAnchor();
    tpl.content.querySelectorAll(".dialog__part[data-live-part]").forEach(function (fresh) {
      var cur = document.getElementById(fresh.id);
      if (!cur || cur.getAttribute("data-version") === fresh.getAttribute("data-version")) return;
      var label = fresh.getAttribute("data-live-part");
      if (changed.indexOf(label) < 0) changed.push(label);
      var active = document.activeElement;
      var path = active && active !== cur && cur.contains(active) ? focusPath(cur, active) : null;
      cur.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      if (path) focusAgain(fresh, path);
    });
    if (!changed.length) return;
    // Whatever else moves the page (the status line, the notice that goes) moves before the
    // reader's place is restored.
    liveSay(s.el, s.el.getAttribute("data-text-updated") + " " + changed.join(", ") + ".");
    pendingDone(true);
    liveKeepAnchor(anchor);
    s.el.setAttribute("data-live-updated-at", String(Date.now()));
  }
  // liveSay puts text in the polite status line. The same text again differs by a no-break
  // space, so it is announced again without emptying the line first (which would move the page).
  function liveSay(el, text) {
    var status = el.querySelector('[data-testid="dialog-live-status"]');
    if (!status) return;
    status.textContent = status.textContent === text ? text + "\u00a0" : text;
  }
  // liveDeleted goes back to the list, which says why (flash below).
  function liveDeleted(s) {
    liveStop();
    var back = document.querySelector('#dialog [data-testid="dialog-back"]');
    try { sessionStorage.setItem("innboks:flash", s.el.getAttribute("data-text-deleted") || ""); } catch (e) { /* private mode */ }
    location.assign(back ? back.getAttribute("href") : "/inbox");
  }
  function flashShow() {
    var text = null;
    try { text = sessionStorage.getItem("innboks:flash"); sessionStorage.removeItem("innboks:flash"); } catch (e) { return; }
    var box = document.getElementById("app-messages");
    if (!text || !box) return;
    var alert = document.createElement("div");
    alert.className = "ds-alert";
    alert.setAttribute("data-color", "info");
    alert.setAttribute("data-testid", "flash");
    var p = document.createElement("p");
    p.className = "ds-paragraph";
    p.textContent = text;
    alert.appendChild(p);
    box.appendChild(alert);
  }

  // An action pressed on a dialog page with live updates waits, "working", for its update: the
  // button is busy and disabled and says so, also on the page the action's answer leads back to
  // (the service owner said "accepted", ?done=async), until a live update swaps the parts in or
  // liveWaitFor has passed (then the status line says the answer has not come yet).
  function actionButton(id) {
    return document.querySelector('#dialog form[data-action-id="' + id + '"] button[type="submit"]');
  }
  function busy(btn, on, text) {
    if (!btn) return;
    if (on) {
      if (btn.getAttribute("aria-busy") === "true") return;
      btn.setAttribute("data-label", btn.textContent);
      btn.textContent = text;
      btn.setAttribute("aria-busy", "true");
      btn.disabled = true;
    } else if (btn.getAttribute("aria-busy") === "true") {
      btn.textContent = btn.getAttribute("data-label") || btn.textContent;
      btn.removeAttribute("aria-busy");
      btn.disabled = false;
    }
  }
  function pendingDone(updated) {
    if (!pending) return;
    clearTimeout(pending.timer);
    var p = pending;
    pending = null;
    busy(actionButton(p.action), false);
    var live = document.querySelector("[data-dialog-live]");
    if (!updated && live) liveSay(live, live.getAttribute("data-text-timeout"));
    if (updated) {
      var notice = document.querySelector('#dialog [data-notice="async"]');
      if (notice) notice.remove();
    }
  }
  function pendingArm() {
    var live = document.querySelector("[data-dialog-live]");
    if (!pending || !live) return;
    busy(actionButton(pending.action), true, live.getAttribute("data-text-working"));
    clearTimeout(pending.timer);
    pending.timer = setTimeout(function () { pendingDone(false); }, Math.max(0, pending.until - Date.now()));
  }
  // pendingResume re-arms a pressed action on the page its answer led to, when that page says
  // the service owner is still at work; any other answer ends the wait.
  function pendingResume(live) {
    if (!pending) return;
    var dialog = live.closest("#dialog");
    if (!dialog || dialog.getAttribute("data-dialog-id") !== pending.dialog || !dialog.querySelector('[data-notice="async"]')) {
      clearTimeout(pending.timer);
      pending = null;
      return;
    }
    pendingArm();
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("#dialog form[data-action-id]")) return;
    var dialog = form.closest("#dialog");
    if (!document.querySelector("[data-dialog-live]") || !dialog) return;
    if (pending) clearTimeout(pending.timer);
    pending = { dialog: dialog.getAttribute("data-dialog-id"), action: form.getAttribute("data-action-id"), until: Date.now() + liveWaitFor, timer: 0 };
    // After htmx has read the form (its listener is on the form, this one on the document).
    setTimeout(pendingArm, 0);
  });

  document.addEventListener("htmx:afterSettle", liveScan);
  window.addEventListener("pagehide", liveStop);
  window.addEventListener("pageshow", function (e) { if (e.persisted) liveScan(); });
  liveScan();
  flashShow();
})();
