// The search page without full reloads. A facet, a year bar, a chip, a sort, a page link or the
// year-range form fetches the same address with an X-Requested-With header; the server answers
// with the page's content block alone (search/views.py), which replaces #search-page. The
// address bar follows (history.pushState) and Back and Forward show the earlier results again.
// Without this script each of those is an ordinary link or form and works the same; when a
// fetch fails (offline, a 503 while the index is rebuilt, a rate limit) the browser simply
// goes to the address, and shows whatever page the server has for it.
(() => {
  "use strict";

  const REGION_ID = "search-page";
  const FRAGMENT_HEADERS = { "X-Requested-With": "fetch" };
  // Must match the phone breakpoint in archive.css, where the filters fold into one line.
  const NARROW = window.matchMedia("(max-width: 48rem)");

  // Back and Forward put back the results exactly as they were left, at once, as a browser's
  // back-forward cache would: each replaced region is kept under its address (the latest few).
  const KEPT_VIEWS = 20;
  const keptViews = new Map();

  let shownUrl = withoutHash(location.href);
  let inFlight = null; // the AbortController of the fetch under way, if any
  let status; // the polite live region announcing each new result count
  let indicator; // the visible "Loading results" badge

  function withoutHash(address) {
    const url = new URL(address, location.href);
    url.hash = "";
    return url.href;
  }

  function region() {
    return document.getElementById(REGION_ID);
  }

  function isSearchAddress(url) {
    const current = region();
    return Boolean(current) && url.origin === location.origin
      && url.pathname === current.dataset.searchPath;
  }

  function setBusy(busy) {
    const current = region();
    if (current) current.setAttribute("aria-busy", busy ? "true" : "false");
    indicator.hidden = !busy;
  }

  function announce(text) {
    // Emptied first so that the same count twice in a row is still read out.
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  }

  // On a phone the filters and the search help start folded, so the results are in view.
  function foldOnPhones(root) {
    if (!NARROW.matches) return;
    for (const panel of root.querySelectorAll(".filters-panel, .syntax-help")) panel.open = false;
  }

  async function show(address, { push = true, focusKey = "", toResults = false } = {}) {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    const current = region();
    const filtersOpen = current.querySelector(".filters-panel")?.open;
    setBusy(true);
    let fresh;
    try {
      const response = await fetch(address, {
        headers: FRAGMENT_HEADERS,
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      // A filter typed in the box comes back as a ticked one, at the address written so.
      if (response.redirected) address = response.url;
      const holder = document.createElement("template");
      holder.innerHTML = await response.text();
      fresh = holder.content.getElementById(REGION_ID);
      if (!fresh) throw new Error("the answer holds no search results");
    } catch (error) {
      if (error.name === "AbortError") return; // a newer click took over
      // The page as the server would serve it, error pages included.
      if (push) location.assign(address);
      else location.reload();
      return;
    } finally {
      if (inFlight === controller) inFlight = null;
    }

    const panel = fresh.querySelector(".filters-panel");
    if (panel && filtersOpen !== undefined) panel.open = filtersOpen;
    swapIn(fresh, address);
    if (push) history.pushState({ searchPage: true }, "", address);
    const heading = fresh.querySelector("#results-heading");
    if (heading) announce(heading.textContent.replace(/\s+/g, " ").trim());
    // Keyboard users stay where they were: on the option they toggled, or on the new results.
    const keep = focusKey
      ? fresh.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)
      : null;
    if (keep) {
      keep.focus({ preventScroll: true });
    } else if (heading) {
      heading.focus({ preventScroll: true });
      if (toResults) heading.scrollIntoView({ block: "start" });
    }
  }

  // Replace the shown region with `fresh` (the results for `address`), keeping the old one.
  function swapIn(fresh, address) {
    const current = region();
    current.setAttribute("aria-busy", "false");
    keptViews.delete(shownUrl);
    keptViews.set(shownUrl, current);
    if (keptViews.size > KEPT_VIEWS) keptViews.delete(keptViews.keys().next().value);
    current.replaceWith(fresh);
    indicator.hidden = true;
    document.title = fresh.dataset.pageTitle;
    const feed = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    if (feed) feed.href = fresh.dataset.feedUrl;
    shownUrl = withoutHash(address);
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab etc.
    const link = event.target.closest("a[href]");
    if (!link || !region()?.contains(link) || link.hasAttribute("download") || link.target) return;
    const url = new URL(link.href, location.href);
    if (!isSearchAddress(url)) return;
    if (url.hash && withoutHash(url.href) === shownUrl) return; // a jump within the page
    event.preventDefault();
    show(url.href, {
      focusKey: link.dataset.focusKey || "",
      toResults: Boolean(link.closest(".pagination, .sorts")),
    });
  }

  function onSubmit(event) {
    const form = event.target;
    if (event.defaultPrevented || !region()?.contains(form)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    const url = new URL(form.action, location.href);
    if (!isSearchAddress(url)) return;
    event.preventDefault();
    url.search = new URLSearchParams(new FormData(form)).toString();
    show(url.href, { toResults: true });
  }

  // "Find ..." in a facet listed whole: hide the options whose name does not hold the words
  // as they are typed (the form still asks the server when submitted).
  function onFind(event) {
    const input = event.target;
    if (!input.matches || !input.matches("[data-facet-find]")) return;
    const section = input.closest(".facet");
    // As the server compares names: case, hyphens and underscores aside.
    const folded = (text) => text.toLowerCase().replace(/[-_\s]+/g, " ").trim();
    const wanted = folded(input.value);
    for (const item of section.querySelectorAll(".facet-options li")) {
      const label = item.querySelector(".option-label");
      if (!label) continue;
      const selected = item.querySelector(".is-selected");
      item.hidden = Boolean(wanted) && !selected && !folded(label.textContent).includes(wanted);
    }
  }

  function onHistory() {
    if (withoutHash(location.href) === shownUrl) return; // only the #fragment changed
    if (!isSearchAddress(new URL(location.href))) {
      location.reload();
      return;
    }
    const kept = keptViews.get(withoutHash(location.href));
    if (kept) {
      if (inFlight) inFlight.abort();
      keptViews.delete(withoutHash(location.href));
      swapIn(kept, location.href);
      const heading = kept.querySelector("#results-heading");
      if (heading) announce(heading.textContent.replace(/\s+/g, " ").trim());
      return;
    }
    show(location.href, { push: false });
  }

  function start() {
    if (!region() || !window.fetch || !window.history.pushState) return;
    status = document.createElement("div");
    status.id = "search-announcer";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    indicator = document.createElement("div");
    indicator.className = "loading-indicator";
    indicator.setAttribute("aria-hidden", "true"); // the busy region and the status speak instead
    indicator.textContent = "Loading results…";
    indicator.hidden = true;
    document.body.append(status, indicator);
    foldOnPhones(region());
    NARROW.addEventListener("change", () => {
      const panel = region()?.querySelector(".filters-panel");
      if (panel) panel.open = !NARROW.matches;
    });
    document.addEventListener("click", onClick);
    document.addEventListener("submit", onSubmit);
    document.addEventListener("input", onFind);
    window.addEventListener("popstate", onHistory);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
