// ---- The header box: results as you type ----
// SHOWN: results the panel lists; BOX_FILES: unit files it loads at most
// for a query.
var SHOWN = 8, BOX_FILES = 8;
function dropdown(box) {
  var view = {
    box: box, form: box.form, seq: 0, active: -1, options: [], lastQuery: null, shown: null, styled: boxStyles(),
    panel: el("div", "search-panel"), message: el("p", "search-message"), list: el("div", "search-options"),
    more: el("a", "search-more"), live: el("p", "visually-hidden")
  };
  buildPanel(view);
  listenToBox(view);
  if (box.value.trim() && doc.activeElement === box) runBox(view);
}
// search.css, unless the page links it (the single-file edition has it
// inline); resolves once it applies.
function boxStyles() {
  if (INLINE || doc.querySelector("link[href$='assets/search.css']")) return Promise.resolve();
  var css = el("link");
  css.rel = "stylesheet"; css.href = ROOT + "assets/search.css";
  var styled = new Promise(function (done) { css.onload = css.onerror = done; });
  doc.head.appendChild(css);
  return styled;
}
// The panel under the box, a combobox's listbox.
function buildPanel(view) {
  var panel = view.panel, list = view.list;
  panel.id = "search-panel"; panel.hidden = true;
  list.id = "search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", uiText("search.results"));
  view.live.setAttribute("role", "status");
  [view.message, list, view.more].forEach(function (e) { panel.appendChild(e); });
  view.form.appendChild(panel);
  view.form.appendChild(view.live);
  [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"], ["aria-controls", "search-results"]]
    .forEach(function (a) { view.box.setAttribute(a[0], a[1]); });
}
function openPanel(view, show) {
  view.panel.hidden = !show;
  view.box.setAttribute("aria-expanded", show && !view.list.hidden ? "true" : "false");
  if (!show) selectOption(view, -1);
}
function selectOption(view, i) {
  var options = view.options;
  if (options[view.active]) options[view.active].setAttribute("aria-selected", "false");
  view.active = i;
  if (options[i]) {
    options[i].setAttribute("aria-selected", "true");
    view.box.setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  } else view.box.removeAttribute("aria-activedescendant");
}
// Shows `text` above the results; with `query`, instead of them.
function boxMessage(view, text, hint, query) {
  var message = view.message;
  message.textContent = text;
  message.hidden = !text;
  if (hint) message.appendChild(el("span", "search-hint", hint));
  if (query != null) {
    selectOption(view, -1);
    view.options = []; view.list.textContent = ""; view.list.hidden = view.more.hidden = true;
    view.live.textContent = text;
    view.panel.setAttribute("data-query", query);
    openPanel(view, true);
  }
}
function showOptions(view, res) {
  if (!res.pages.length) return boxMessage(view, nothing(res.query), hintFor(res.tokens), res.query);
  var top = res.pages.slice(0, SHOWN), list = view.list, more = view.more;
  return Promise.resolve().then(function () {
    selectOption(view, -1);
    view.options = [];
    list.textContent = "";
    top.forEach(function (result, i) {
      var a = option(result, i, res.highlight);
      list.appendChild(a);
      view.options.push(a);
    });
    boxMessage(view, res.partial ? partialLine(res.query) : hintFor(res.tokens));
    view.shown = res;
    list.hidden = false;
    more.textContent = res.complete ? uiText("search.all_results_count", { n: res.pages.length }) : uiText("search.all_results");
    more.href = pageHref(res.query);
    // No search page in the single-file edition: no link to one.
    more.hidden = !!INLINE;
    view.live.textContent = res.complete ? uiText("search.found", { n: res.pages.length }) : uiText("search.found_many");
    view.panel.setAttribute("data-query", res.query);
    openPanel(view, true);
  });
}
// The panel's `i`th result.
function option(result, i, highlight) {
  var a = el("a", "search-option"), parts = [el("span", "search-option-head"), el("span", "search-option-title"),
    el("span", "search-option-label"), el("span", "search-option-snippet")];
  a.id = "search-option-" + i;
  a.tabIndex = -1;
  a.setAttribute("role", "option");
  a.setAttribute("aria-selected", "false");
  fill(parts, result, highlight, 64);
  a.href = hrefOf(result, result.best);
  parts[0].appendChild(parts[1]);
  a.appendChild(parts[0]);
  if (parts[2].textContent) a.appendChild(parts[2]);
  a.appendChild(parts[3]);
  return a;
}
// Searches for the box's text; only the latest search shows.
function runBox(view) {
  var box = view.box, q = box.value, mine = ++view.seq, settled = false;
  if (q === view.lastQuery && view.options.length) return openPanel(view, doc.activeElement === box);
  view.lastQuery = q;
  if (!q.trim()) { view.options = []; view.list.textContent = ""; return openPanel(view, false); }
  if (!meta) view.styled.then(function () {
    if (mine === view.seq && !settled) {
      boxMessage(view, uiText("search.loading"));
      view.list.hidden = view.more.hidden = true;
      openPanel(view, true);
    }
  });
  function after(fn) {
    return function (x) { return view.styled.then(function () { settled = true; if (mine === view.seq) return fn(x); }); };
  }
  search(q, BOX_FILES).then(after(function (res) { return showOptions(view, res); }),
    after(function () { boxMessage(view, broken(), "", q); }));
}
function listenToBox(view) {
  var box = view.box, form = view.form;
  onTyping(box, function () { runBox(view); }, 100);
  box.addEventListener("focus", function () { if (box.value.trim()) runBox(view); });
  box.addEventListener("keydown", function (e) { boxKey(view, e); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (box.value.trim()) win.location.href = pageHref(box.value);
  });
  // Clicking a result keeps the focus in the box; leaving the form closes it.
  [view.list, view.more].forEach(function (e) { e.addEventListener("mousedown", function (ev) { ev.preventDefault(); }); });
  form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) openPanel(view, false); });
  doc.addEventListener("mousedown", function (e) { if (!form.contains(e.target)) openPanel(view, false); });
  view.list.addEventListener("mousemove", function (e) {
    var i = view.options.indexOf(e.target.closest(".search-option"));
    if (i >= 0 && i !== view.active) selectOption(view, i);
  });
}
// Arrows choose a result, Enter opens it (or the search page), Escape closes.
function boxKey(view, e) {
  var key = e.key, box = view.box, options = view.options, n = options.length, active = view.active, closed = view.panel.hidden;
  if (e.isComposing || e.keyCode === 229) return;
  if (key === "ArrowDown" || key === "Down") {
    e.preventDefault();
    if (closed) { if (box.value.trim()) runBox(view); } else if (n) selectOption(view, active + 1 < n ? active + 1 : 0);
  } else if ((key === "ArrowUp" || key === "Up") && !closed && n) {
    e.preventDefault();
    selectOption(view, active > 0 ? active - 1 : active === 0 ? -1 : n - 1);
  } else if (key === "Enter") {
    // The chosen result, else the full search page.
    e.preventDefault();
    if (options[active] && !closed) win.location.href = options[active].href;
    else if (options[0] && view.shown && view.shown.query === box.value && cites(view.shown)) win.location.href = options[0].href;
    else if (box.value.trim()) win.location.href = pageHref(box.value);
  } else if ((key === "Escape" || key === "Esc") && !closed) {
    e.preventDefault();
    openPanel(view, false);
    box.focus();
  }
}
