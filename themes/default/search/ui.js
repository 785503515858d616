// ---- What the search box and the search page share ----
// The site's words in its language, filled by window.zhikuText from
// assets/ui.js (docs/templates.md); the key itself without it.
function uiText(key, values) {
  return win.zhikuText ? win.zhikuText(key, values) : key;
}
// Titles and snippets go into the page as text, never as HTML.
function el(tag, cls, text) {
  var e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
function hrefOf(result, hit) { return ROOT + result.url + (hit.anchor ? "#" + hit.anchor : ""); }
function pageHref(q) { return ROOT + "search/index.html?q=" + encodeURIComponent(q); }
function kindLabel(kind) { return (win.zhikuUI || {})["kind." + kind] || (meta.kinds || {})[kind] || kind; }
// Fills a result's parts: [kind badge holder, title, label, snippet].
function fill(parts, result, highlight, width) {
  var shown = shownHit(result, highlight);
  parts[0].appendChild(el("span", "badge kind kind-" + result.kind, kindLabel(result.kind)));
  snippet(parts[1], result.title, highlight, 1e9);
  parts[2].textContent = shown.label || "";
  snippet(parts[3], textOf(shown.uid, highlight), highlight, width);
  return shown;
}
function oneChar(tokens) {
  return tokens.length === 1 && tokens[0].prefix && Array.from(tokens[0].text).length === 1 && isCJK(tokens[0].text.codePointAt(0));
}
function hintFor(tokens) { return oneChar(tokens) ? uiText("search.one_char") : ""; }
function nothing(q) { return uiText("search.none", { q: q.trim() }); }
// Said above partial matches.
function partialLine(q) { return uiText("search.partial", { q: q.trim() }); }
// A citation (第十条, 党章第31条): Enter opens the cited article.
function cites(res) { return res.terms.some(function (t) { return t.kind === ARTICLE; }) && res.pages.length && res.pages[0].best.cited; }
function broken() { return uiText("search.broken"); }
// Runs `fn` once typing pauses for `ms`, and at once when an input
// method commits (the pinyin it shows while composing is not searched).
function onTyping(box, fn, ms) {
  var timer, committed = null;
  function later(e) {
    if (e.isComposing) return;
    if (e.type === "compositionend") {
      // An input method's commit is a finished word: search at once.
      committed = box.value;
      clearTimeout(timer);
      timer = setTimeout(fn, 0);
      return;
    }
    // Firefox follows the commit with its own input event: already run.
    if (box.value === committed) return;
    committed = null;
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }
  box.addEventListener("input", later);
  box.addEventListener("compositionend", later);
}
