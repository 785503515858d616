// ---- The search page: search/index.html?q=…&kind=…&tag=…&p=… ----
var PER_PAGE = 20;
function searchPage(form, box) {
  var status = doc.getElementById("search-status"), results = doc.getElementById("search-results");
  var filters = doc.getElementById("search-filters"), pager = doc.getElementById("search-pager");
  var url = new URLSearchParams(win.location.search), seq = 0, res = null, budget = 32;
  var state = { q: url.get("q") || "", kind: url.get("kind") || "", tag: url.get("tag") || "", p: Math.max(1, parseInt(url.get("p"), 10) || 1) };
  box.value = state.q;
  function remember() {
    var u = new URLSearchParams();
    ["q", "kind", "tag", "p"].forEach(function (k) { if (state[k] && (k !== "p" || state.p > 1)) u.set(k, state[k]); });
    try { win.history.replaceState(null, "", "?" + u); } catch (e) { /* file:// may refuse */ }
  }
  function say(text, hint) {
    status.textContent = text;
    if (hint) status.appendChild(el("span", "search-hint", hint));
  }
  function clear(text, hint) {
    results.textContent = "";
    filters.hidden = pager.hidden = true;
    say(text, hint);
    return Promise.resolve();
  }
  function run() {
    var mine = ++seq;
    remember();
    if (!state.q.trim()) return clear("输入关键词，搜索本站的条例、清单和案例。");
    say("正在搜索…");
    // The page map makes counts and filters exact on a large site; a
    // site without it still searches (counting what was loaded).
    ready().then(function () { return load("pagemap", 0).catch(function () {}); })
      .then(function () { return search(state.q, budget, { kind: state.kind, tag: state.tag }); })
      .then(function (r) { if (mine === seq) { res = r; return render(); } },
        function () { if (mine === seq) clear(BROKEN); });
  }
  function tagsOf(g) { return g.tags.map(function (t) { return (meta.tags || [])[t]; }); }
  function render() {
    var hint = hintFor(res.tokens), kinds = {}, tags = {};
    results.setAttribute("data-query", res.query);
    if (!res.pages.length) return clear(nothing(res.query, res.tokens), hint);
    results.removeAttribute("data-query");
    var F = res.facets;
    var byTag = res.pages.filter(function (g) { return !state.tag || tagsOf(g).indexOf(state.tag) >= 0; });
    var shown = byTag.filter(function (g) { return !state.kind || g.kind === state.kind; });
    if (F) {
      kinds = F.kinds; tags = F.tags;
    } else {
      byTag.forEach(function (g) { kinds[g.kind] = (kinds[g.kind] || 0) + 1; });
      res.pages.forEach(function (g) {
        if (!state.kind || g.kind === state.kind) tagsOf(g).forEach(function (t) { if (t) tags[t] = (tags[t] || 0) + 1; });
      });
    }
    var allKinds = Object.keys(kinds).reduce(function (n, k) { return n + kinds[k]; }, 0);
    drawFilters(F ? allKinds : byTag.length, kinds, tags);
    var found = F ? F.pages : shown.length, before = F ? F.all : res.pages.length;
    var pages = Math.max(1, Math.ceil(shown.length / PER_PAGE));
    state.p = Math.min(state.p, pages);
    remember();
    var slice = shown.slice((state.p - 1) * PER_PAGE, state.p * PER_PAGE);
    var total = (res.partial ? partialLine(res.query) + "。" : "") + "搜索“" + res.query.trim() + "”：找到 " + found + " 个页面，共 " +
      (F ? res.total : shown.reduce(function (n, g) { return n + g.hits.length; }, 0)) + " 处" +
      (found < before ? "（筛选前 " + before + " 个页面）" : "") +
      (found ? "" : "；没有符合筛选条件的结果") +
      (res.complete ? "" : F ? "。为少加载数据，先列出了最相关的 " + shown.length + " 个页面" :
        "。为少加载数据，先列出了最相关的部分（全站共 " + res.total + " 处匹配），筛选也只在其中进行");
    return Promise.resolve().then(function () {
      say(total, hint);
      var ol = el("ol", "search-list");
      ol.start = (state.p - 1) * PER_PAGE + 1;
      slice.forEach(function (g) { ol.appendChild(item(g)); });
      results.textContent = "";
      results.appendChild(ol);
      results.setAttribute("data-query", res.query);
      drawPager(pages);
    });
  }
  function item(g) {
    var li = el("li", "search-item"), h2 = el("h2", "search-item-title"), a = el("a");
    var parts = [el("p", "search-item-meta"), el("span", "search-item-name"), el("span", "search-item-label"), el("p", "search-item-snippet")];
    var shown = fill(parts, g, res.highlight, 140);
    a.href = hrefOf(g, g.best);
    a.appendChild(parts[1]);
    h2.appendChild(a);
    if (parts[2].textContent) parts[0].appendChild(parts[2]);
    [h2, parts[0], parts[3]].forEach(function (e) { li.appendChild(e); });
    var others = g.hits.filter(function (h) { return h !== g.best && h !== shown; });
    if (others.length) {
      var more = li.appendChild(el("p", "search-item-more", "本页其他匹配："));
      others.slice(0, 6).forEach(function (hit, i) {
        if (i) more.appendChild(doc.createTextNode("、"));
        more.appendChild(el("a", "", hit.label || "开头")).href = hrefOf(g, hit);
      });
      if (others.length > 6) more.appendChild(doc.createTextNode(" 等 " + others.length + " 处"));
    }
    return li;
  }
  // With the page map, a filter is a new search among every match.
  function refilter() { return res && res.facets ? run() : render(); }
  function drawFilters(all, kinds, tags) {
    var set = el("fieldset", "search-kinds"), order = ["regulation", "checklist", "case", "page"].concat(Object.keys(meta.kinds || {}));
    filters.textContent = "";
    set.appendChild(el("legend", "", "类型"));
    [""].concat(order.filter(function (k, i) { return order.indexOf(k) === i && (kinds[k] || k === state.kind); }))
      .forEach(function (k) {
        var label = set.appendChild(el("label", "search-kind")), input = label.appendChild(el("input"));
        input.type = "radio"; input.name = "kind"; input.value = k; input.checked = state.kind === k;
        input.addEventListener("change", function () { state.kind = k; state.p = 1; refilter(); });
        label.appendChild(doc.createTextNode((k ? kindLabel(k) : "全部") + " " + (k ? kinds[k] || 0 : all)));
      });
    filters.appendChild(set);
    var names = Object.keys(tags).sort(function (a, b) { return tags[b] - tags[a] || (a < b ? -1 : 1); });
    if (state.tag && names.indexOf(state.tag) < 0) names.unshift(state.tag);
    if (names.length) {
      var wrap = filters.appendChild(el("p", "search-tag")), label = wrap.appendChild(el("label", "", "标签"));
      var select = wrap.appendChild(el("select"));
      select.id = label.htmlFor = "search-tag";
      [""].concat(names).forEach(function (t) {
        var o = select.appendChild(el("option", "", t ? t + "（" + (tags[t] || 0) + "）" : "全部标签"));
        o.value = t; o.selected = t === state.tag;
      });
      select.addEventListener("change", function () { state.tag = select.value; state.p = 1; refilter(); });
    }
    filters.hidden = false;
  }
  function drawPager(pages) {
    pager.textContent = "";
    pager.hidden = pages < 2 && res.complete;
    function button(text, off, click) {
      var b = pager.appendChild(el("button", "button", text));
      b.type = "button";
      b.disabled = off;
      b.addEventListener("click", click);
    }
    function go(p) {
      return function () {
        state.p = p;
        render().then(function () { status.focus(); status.scrollIntoView({ block: "start" }); });
      };
    }
    if (pages > 1) {
      button("上一页", state.p < 2, go(state.p - 1));
      pager.appendChild(el("span", "search-page-no", "第 " + state.p + " / " + pages + " 页"));
      button("下一页", state.p >= pages, go(state.p + 1));
    }
    // A large site: the first answer used only some of the index.
    if (!res.complete) button("载入更多匹配的页面", false, function () { budget *= 4; run(); });
  }
  onTyping(box, function () {
    if (box.value !== state.q) { state.q = box.value; state.p = 1; run(); }
  }, 200);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.q = box.value; state.p = 1; run();
  });
  run();
}
