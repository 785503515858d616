// ---- What the search box and the search page share ----
// Titles and snippets go into the page as text, never as HTML.
function el(tag, cls, text) {
  var e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
function hrefOf(result, hit) { return ROOT + result.url + (hit.anchor ? "#" + hit.anchor : ""); }
function pageHref(q) { return ROOT + "search/index.html?q=" + encodeURIComponent(q); }
function kindLabel(kind) { return (meta.kinds || {})[kind] || kind; }
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
function hintFor(tokens) { return oneChar(tokens) ? "只输入了一个字，结果会比较宽泛；输入两个或更多字能找得更准。" : ""; }
function nothing(q) { return "没有找到与“" + q.trim() + "”相关的内容；可以试试更短的词，或换个说法。"; }
// Said above partial matches.
function partialLine(q) { return "没有完全匹配“" + q.trim() + "”的结果，以下是部分匹配"; }
// A citation (第十条, 党章第31条): Enter opens the cited article.
function cites(res) { return res.terms.some(function (t) { return t.kind === ARTICLE; }) && res.pages.length && res.pages[0].best.cited; }
var BROKEN = "搜索索引不可用：网站的 search 文件夹缺失或不完整。";
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
