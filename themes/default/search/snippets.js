// ---- Snippets ----
function marks(text, hl) {
  var qt = hl.qt;
  var norm = "", from = [], i = 0, ch, n, k;
  for (; i < text.length; i += ch.length) {
    ch = String.fromCodePoint(text.codePointAt(i));
    n = normalize(ch);
    for (k = 0; k < n.length; k++) from.push([i, i + ch.length]);
    norm += n;
  }
  var toks = docTokens(norm), merged = [];
  // A prefix token marks only the typed part of what it matched.
  function end(t, q) { return q.p ? t.s + q.t.length : t.e; }
  var ranges = phrases(toks, qt, false).map(function (m) { return [toks[m[0]].s, end(toks[m[1]], qt[qt.length - 1])]; });
  if (!ranges.length) toks.forEach(function (t) {
    hl.all.forEach(function (q) { if (hit(t, q)) ranges.push([t.s, end(t, q)]); });
  });
  ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
  ranges.forEach(function (r) {
    var s = from[r[0]][0], e = from[r[1] - 1][1], last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e); else merged.push([s, e]);
  });
  return merged;
}
// Appends `text` (about `width` characters of it, around the first match)
// to `parent` as text nodes and <mark>s.
function snippet(parent, text, hl, width) {
  text = String(text || "");
  var ranges = marks(text, hl), start = 0, end = text.length, at;
  if (end > width) {
    start = ranges.length ? Math.max(0, ranges[0][0] - Math.floor(width / 5)) : 0;
    end = Math.min(text.length, start + width);
    start = Math.max(0, end - width);
    if (/[\udc00-\udfff]/.test(text.charAt(start))) start++;
    if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  }
  function add(s) { parent.appendChild(doc.createTextNode(s)); }
  if (start > 0) add("…");
  at = start;
  ranges.forEach(function (r) {
    var s = Math.max(r[0], start), e = Math.min(r[1], end);
    if (e <= s) return;
    if (s > at) add(text.slice(at, s));
    parent.appendChild(el("mark", "", text.slice(s, e)));
    at = e;
  });
  if (end > at) add(text.slice(at, end));
  if (end < text.length) add("…");
}
function unitOf(uid) { return (data["units/" + Math.floor(uid / meta.unitChunk)] || [])[uid % meta.unitChunk] || []; }
// A unit's text for its snippet: a page's opening shows its facts line
// (section, tags, issuer …) when only that holds the query.
function textOf(uid, hl) {
  var unit = unitOf(uid), text = unit[4] || "";
  if (!unit[1] && unit[5] && hl && !marks(text, hl).length && marks(unit[5], hl).length) return unit[5];
  return text;
}
// The hit to show for a page: the best, unless only its title matched and
// another of the page's best hits shows the query in its text.
function shownHit(g, hl) {
  var top = g.hits.slice(0, 3);
  if (g.best.cited) return g.best;
  for (var i = 0; i < top.length; i++) if (marks(textOf(top[i].uid, hl), hl).length) return top[i];
  return g.best;
}
