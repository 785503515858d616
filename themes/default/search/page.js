// ---- The search page: search/index.html?q=…&kind=…&tag=…&p=… ----
var PER_PAGE = 20, KIND_ORDER = ["regulation", "checklist", "case", "quiz", "page"];
function searchPage(form, box) {
  var url = new URLSearchParams(win.location.search);
  var view = {
    status: doc.getElementById("search-status"), results: doc.getElementById("search-results"),
    filters: doc.getElementById("search-filters"), pager: doc.getElementById("search-pager"),
    seq: 0, res: null, budget: 32,
    // What the address says: the query, the filters, the page of results.
    state: { query: url.get("q") || "", kind: url.get("kind") || "", tag: url.get("tag") || "", page: Math.max(1, parseInt(url.get("p"), 10) || 1) }
  };
  box.value = view.state.query;
  onTyping(box, function () {
    if (box.value !== view.state.query) { view.state.query = box.value; view.state.page = 1; runPage(view); }
  }, 200);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    view.state.query = box.value; view.state.page = 1; runPage(view);
  });
  runPage(view);
}
// Puts the state in the address, for reloading and sharing.
function remember(view) {
  var state = view.state, u = new URLSearchParams();
  if (state.query) u.set("q", state.query);
  if (state.kind) u.set("kind", state.kind);
  if (state.tag) u.set("tag", state.tag);
  if (state.page > 1) u.set("p", state.page);
  try { win.history.replaceState(null, "", "?" + u); } catch (e) { /* file:// may refuse */ }
}
function say(view, text, hint) {
  view.status.textContent = text;
  if (hint) view.status.appendChild(el("span", "search-hint", hint));
}
function clear(view, text, hint) {
  view.results.textContent = "";
  view.filters.hidden = view.pager.hidden = true;
  say(view, text, hint);
  return Promise.resolve();
}
// Searches for the state's query; only the latest search shows.
function runPage(view) {
  var mine = ++view.seq, state = view.state;
  remember(view);
  if (!state.query.trim()) return clear(view, uiText("search.prompt"));
  say(view, uiText("search.searching"));
  // The page map makes counts and filters exact on a large site; a
  // site without it still searches (counting what was loaded).
  ready().then(function () { return load("pagemap", 0).catch(function () {}); })
    .then(function () { return search(state.query, view.budget, { kind: state.kind, tag: state.tag }); })
    .then(function (res) { if (mine === view.seq) { view.res = res; return render(view); } },
      function () { if (mine === view.seq) clear(view, broken()); });
}
function tagsOf(result) { return result.tags.map(function (t) { return (meta.tags || [])[t]; }); }
// The answer: the status line, the filters, one page of results, the pager.
function render(view) {
  var res = view.res, state = view.state, hint = hintFor(res.tokens), results = view.results;
  results.setAttribute("data-query", res.query);
  if (!res.pages.length) return clear(view, nothing(res.query), hint);
  results.removeAttribute("data-query");
  var counts = countPages(res, state), shown = counts.shown;
  drawFilters(view, counts.all, counts.kinds, counts.tags);
  var pages = Math.max(1, Math.ceil(shown.length / PER_PAGE));
  state.page = Math.min(state.page, pages);
  remember(view);
  var slice = shown.slice((state.page - 1) * PER_PAGE, state.page * PER_PAGE), line = statusLine(res, counts);
  return Promise.resolve().then(function () {
    say(view, line, hint);
    var ol = el("ol", "search-list");
    ol.start = (state.page - 1) * PER_PAGE + 1;
    slice.forEach(function (result) { ol.appendChild(item(result, res.highlight)); });
    results.textContent = "";
    results.appendChild(ol);
    results.setAttribute("data-query", res.query);
    drawPager(view, pages);
  });
}
// The pages to list, and pages per kind and per tag for the filters:
// over every match (the page map's facets) or over those loaded.
function countPages(res, state) {
  var facets = res.facets, kinds = {}, tags = {};
  var byTag = res.pages.filter(function (g) { return !state.tag || tagsOf(g).indexOf(state.tag) >= 0; });
  var shown = byTag.filter(function (g) { return !state.kind || g.kind === state.kind; });
  if (facets) {
    kinds = facets.kinds; tags = facets.tags;
  } else {
    byTag.forEach(function (g) { kinds[g.kind] = (kinds[g.kind] || 0) + 1; });
    res.pages.forEach(function (g) {
      if (!state.kind || g.kind === state.kind) tagsOf(g).forEach(function (t) { if (t) tags[t] = (tags[t] || 0) + 1; });
    });
  }
  var allKinds = Object.keys(kinds).reduce(function (n, k) { return n + kinds[k]; }, 0);
  return {
    kinds: kinds, tags: tags, shown: shown, all: facets ? allKinds : byTag.length,
    found: facets ? facets.pages : shown.length, before: facets ? facets.all : res.pages.length
  };
}
function statusLine(res, counts) {
  var facets = res.facets, shown = counts.shown, found = counts.found;
  var hits = facets ? res.total : shown.reduce(function (n, g) { return n + g.hits.length; }, 0);
  return (res.partial ? uiText("search.partial_then", { line: partialLine(res.query) }) : "") +
    uiText("search.query", { q: res.query.trim() }) + uiText("search.pages", { n: found }) + uiText("search.hits", { n: hits }) +
    (found < counts.before ? uiText("search.before", { n: counts.before }) : "") +
    (found ? "" : uiText("search.no_match")) +
    (res.complete ? "" : facets ? uiText("search.first_pages", { n: shown.length }) : uiText("search.first_part", { n: res.total }));
}
function item(result, highlight) {
  var li = el("li", "search-item"), h2 = el("h2", "search-item-title"), a = el("a");
  var parts = [el("p", "search-item-meta"), el("span", "search-item-name"), el("span", "search-item-label"), el("p", "search-item-snippet")];
  var shown = fill(parts, result, highlight, 140);
  a.href = hrefOf(result, result.best);
  a.appendChild(parts[1]);
  h2.appendChild(a);
  if (parts[2].textContent) parts[0].appendChild(parts[2]);
  [h2, parts[0], parts[3]].forEach(function (e) { li.appendChild(e); });
  var others = result.hits.filter(function (h) { return h !== result.best && h !== shown; });
  if (others.length) {
    var more = li.appendChild(el("p", "search-item-more", uiText("search.more")));
    others.slice(0, 6).forEach(function (hit, i) {
      if (i) more.appendChild(doc.createTextNode(uiText("search.more_separator")));
      more.appendChild(el("a", "", hit.label || uiText("search.start"))).href = hrefOf(result, hit);
    });
    if (others.length > 6) more.appendChild(doc.createTextNode(uiText("search.more_count", { n: others.length })));
  }
  return li;
}
// With the page map, a filter is a new search among every match.
function refilter(view) { return view.res && view.res.facets ? runPage(view) : render(view); }
function drawFilters(view, all, kinds, tags) {
  view.filters.textContent = "";
  view.filters.appendChild(kindFilter(view, all, kinds));
  var names = Object.keys(tags).sort(function (a, b) { return tags[b] - tags[a] || (a < b ? -1 : 1); });
  if (view.state.tag && names.indexOf(view.state.tag) < 0) names.unshift(view.state.tag);
  if (names.length) view.filters.appendChild(tagFilter(view, names, tags));
  view.filters.hidden = false;
}
// Radio buttons: every kind with matches, and the chosen one.
function kindFilter(view, all, kinds) {
  var state = view.state, set = el("fieldset", "search-kinds"), order = KIND_ORDER.concat(Object.keys(meta.kinds || {}));
  set.appendChild(el("legend", "", uiText("search.kinds")));
  [""].concat(order.filter(function (k, i) { return order.indexOf(k) === i && (kinds[k] || k === state.kind); }))
    .forEach(function (k) {
      var label = set.appendChild(el("label", "search-kind")), input = label.appendChild(el("input"));
      input.type = "radio"; input.name = "kind"; input.value = k; input.checked = state.kind === k;
      input.addEventListener("change", function () { state.kind = k; state.page = 1; refilter(view); });
      label.appendChild(doc.createTextNode((k ? kindLabel(k) : uiText("search.all")) + " " + (k ? kinds[k] || 0 : all)));
    });
  return set;
}
// A list of tags, most pages first.
function tagFilter(view, names, tags) {
  var state = view.state, wrap = el("p", "search-tag"), label = wrap.appendChild(el("label", "", uiText("search.tag")));
  var select = wrap.appendChild(el("select"));
  select.id = label.htmlFor = "search-tag";
  [""].concat(names).forEach(function (t) {
    var o = select.appendChild(el("option", "", t ? uiText("search.tag_option", { tag: t, n: tags[t] || 0 }) : uiText("search.all_tags")));
    o.value = t; o.selected = t === state.tag;
  });
  select.addEventListener("change", function () { state.tag = select.value; state.page = 1; refilter(view); });
  return wrap;
}
function drawPager(view, pages) {
  var pager = view.pager, state = view.state;
  pager.textContent = "";
  pager.hidden = pages < 2 && view.res.complete;
  function button(text, off, click) {
    var b = pager.appendChild(el("button", "button", text));
    b.type = "button";
    b.disabled = off;
    b.addEventListener("click", click);
  }
  function go(p) {
    return function () {
      state.page = p;
      render(view).then(function () { view.status.focus(); view.status.scrollIntoView({ block: "start" }); });
    };
  }
  if (pages > 1) {
    button(uiText("search.prev"), state.page < 2, go(state.page - 1));
    pager.appendChild(el("span", "search-page-no", uiText("search.page_no", { page: state.page, pages: pages })));
    button(uiText("search.next"), state.page >= pages, go(state.page + 1));
  }
  // A large site: the first answer used only some of the index.
  if (!view.res.complete) button(uiText("search.load_more"), false, function () { view.budget *= 4; runPage(view); });
}
