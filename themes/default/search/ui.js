// ---- Shared UI ----
function el(tag, cls, text) {
  var e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
function hrefOf(g, hit) { return ROOT + g.url + (hit.anchor ? "#" + hit.anchor : ""); }
function pageHref(q) { return ROOT + "search/index.html?q=" + encodeURIComponent(q); }
function kindLabel(kind) { return (meta.kinds || {})[kind] || kind; }
// Fills a result's parts: [kind badge holder, title, label, snippet].
function fill(parts, g, hl, width) {
  var h = shownHit(g, hl);
  parts[0].appendChild(el("span", "badge kind kind-" + g.kind, kindLabel(g.kind)));
  snippet(parts[1], g.title, hl, 1e9);
  parts[2].textContent = h.label || "";
  snippet(parts[3], textOf(h.uid, hl), hl, width);
  return h;
}
function oneChar(qt) { return qt.length === 1 && qt[0].p && Array.from(qt[0].t).length === 1 && isCJK(qt[0].t.codePointAt(0)); }
function hintFor(qt) { return oneChar(qt) ? "只输入了一个字，结果会比较宽泛；输入两个或更多字能找得更准。" : ""; }
function nothing(q) { return "没有找到与“" + q.trim() + "”相关的内容；可以试试更短的词，或换个说法。"; }
// Said above partial matches.
function partialLine(q) { return "没有完全匹配“" + q.trim() + "”的结果，以下是部分匹配"; }
// A citation (第十条, 党章第31条): Enter opens the cited article.
function cites(res) { return res.terms.some(function (t) { return t.kind === "a"; }) && res.pages.length && res.pages[0].best.cited; }
var BROKEN = "搜索索引不可用：网站的 search 文件夹缺失或不完整。";
// Runs `fn` once typing pauses for `ms`; not for the pinyin an input
// method shows while composing, only for what it commits.
function onTyping(box, fn, ms) {
  var t;
  function later(e) { if (!e.isComposing) { clearTimeout(t); t = setTimeout(fn, ms); } }
  box.addEventListener("input", later);
  box.addEventListener("compositionend", later);
}
