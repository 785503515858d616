// ---- The header box: results as you type ----
// SHOWN: results the panel lists; BOX_FILES: unit files it loads at most
// for a query.
var SHOWN = 8, BOX_FILES = 8;
function dropdown(box) {
  var form = box.form, seq = 0, active = -1, options = [], lastQ = null, styled = Promise.resolve(), shownRes = null;
  if (!INLINE && !doc.querySelector("link[href$='assets/search.css']")) {
    var css = el("link");
    css.rel = "stylesheet"; css.href = ROOT + "assets/search.css";
    styled = new Promise(function (done) { css.onload = css.onerror = done; });
    doc.head.appendChild(css);
  }
  var panel = el("div", "search-panel"), msg = el("p", "search-message"), list = el("div", "search-options");
  var more = el("a", "search-more"), live = el("p", "visually-hidden");
  panel.id = "search-panel"; panel.hidden = true;
  list.id = "search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "搜索结果");
  live.setAttribute("role", "status");
  [msg, list, more].forEach(function (e) { panel.appendChild(e); });
  form.appendChild(panel);
  form.appendChild(live);
  [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"], ["aria-controls", "search-results"]]
    .forEach(function (a) { box.setAttribute(a[0], a[1]); });

  function open(show) {
    panel.hidden = !show;
    box.setAttribute("aria-expanded", show && !list.hidden ? "true" : "false");
    if (!show) select(-1);
  }
  function select(i) {
    if (options[active]) options[active].setAttribute("aria-selected", "false");
    active = i;
    if (options[i]) {
      options[i].setAttribute("aria-selected", "true");
      box.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else box.removeAttribute("aria-activedescendant");
  }
  function message(text, hint, query) {
    msg.textContent = text;
    msg.hidden = !text;
    if (hint) msg.appendChild(el("span", "search-hint", hint));
    if (query != null) {
      select(-1);
      options = []; list.textContent = ""; list.hidden = more.hidden = true;
      live.textContent = text;
      panel.setAttribute("data-query", query);
      open(true);
    }
  }
  function show(res) {
    if (!res.pages.length) return message(nothing(res.query, res.tokens), hintFor(res.tokens), res.query);
    var top = res.pages.slice(0, SHOWN);
    return Promise.resolve().then(function () {
      select(-1);
      options = [];
      list.textContent = "";
      top.forEach(function (g, i) {
        var a = el("a", "search-option"), parts = [el("span", "search-option-head"), el("span", "search-option-title"),
          el("span", "search-option-label"), el("span", "search-option-snippet")];
        a.id = "search-option-" + i;
        a.tabIndex = -1;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        fill(parts, g, res.highlight, 64);
        a.href = hrefOf(g, g.best);
        parts[0].appendChild(parts[1]);
        a.appendChild(parts[0]);
        if (parts[2].textContent) a.appendChild(parts[2]);
        a.appendChild(parts[3]);
        list.appendChild(a);
        options.push(a);
      });
      message(res.partial ? partialLine(res.query) : hintFor(res.tokens));
      shownRes = res;
      list.hidden = false;
      more.textContent = "查看全部结果" + (res.complete ? "（" + res.pages.length + " 个页面）" : "");
      more.href = pageHref(res.query);
      // No search page in the single-file edition.
      more.hidden = !!INLINE;
      more.hidden = false;
      live.textContent = "找到" + (res.complete ? " " + res.pages.length + " 个" : "多个") + "页面，用上下方向键选择";
      panel.setAttribute("data-query", res.query);
      open(true);
    });
  }
  function run() {
    var q = box.value, mine = ++seq, settled = false;
    if (q === lastQ && options.length) return open(doc.activeElement === box);
    lastQ = q;
    if (!q.trim()) { options = []; list.textContent = ""; return open(false); }
    if (!meta) styled.then(function () {
      if (mine === seq && !settled) { message("正在载入搜索索引…"); list.hidden = more.hidden = true; open(true); }
    });
    function after(fn) { return function (x) { return styled.then(function () { settled = true; if (mine === seq) return fn(x); }); }; }
    search(q, BOX_FILES).then(after(show), after(function () { message(BROKEN, "", q); }));
  }
  onTyping(box, run, 120);
  box.addEventListener("focus", function () { if (box.value.trim()) run(); });
  box.addEventListener("keydown", function (e) {
    var key = e.key, n = options.length;
    if (e.isComposing || e.keyCode === 229) return;
    if (key === "ArrowDown" || key === "Down") {
      e.preventDefault();
      if (panel.hidden) { if (box.value.trim()) run(); } else if (n) select(active + 1 < n ? active + 1 : 0);
    } else if ((key === "ArrowUp" || key === "Up") && !panel.hidden && n) {
      e.preventDefault();
      select(active > 0 ? active - 1 : active === 0 ? -1 : n - 1);
    } else if (key === "Enter") {
      // The chosen result, else the full search page.
      e.preventDefault();
      if (options[active] && !panel.hidden) win.location.href = options[active].href;
      else if (options[0] && shownRes && shownRes.query === box.value && cites(shownRes)) win.location.href = options[0].href;
      else if (box.value.trim()) win.location.href = pageHref(box.value);
    } else if ((key === "Escape" || key === "Esc") && !panel.hidden) {
      e.preventDefault();
      open(false);
      box.focus();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (box.value.trim()) win.location.href = pageHref(box.value);
  });
  // Clicking a result keeps the focus in the box; leaving the form closes it.
  [list, more].forEach(function (e) { e.addEventListener("mousedown", function (ev) { ev.preventDefault(); }); });
  form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });
  doc.addEventListener("mousedown", function (e) { if (!form.contains(e.target)) open(false); });
  list.addEventListener("mousemove", function (e) {
    var i = options.indexOf(e.target.closest(".search-option"));
    if (i >= 0 && i !== active) select(i);
  });
  if (box.value.trim() && doc.activeElement === box) run();
}
