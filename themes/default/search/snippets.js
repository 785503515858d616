// ---- Snippets: what a result shows of its unit, the query marked ----
// Ranges of the original text to mark: the query (`highlight.phrase`)
// where it occurs as a phrase, else every token matching one of
// `highlight.tokens`.
function marks(text, highlight) {
  var query = highlight.phrase;
  var norm = "", from = [], i = 0, ch, n, k;
  for (; i < text.length; i += ch.length) {
    ch = String.fromCodePoint(text.codePointAt(i));
    n = normalize(ch);
    for (k = 0; k < n.length; k++) from.push([i, i + ch.length]);
    norm += n;
  }
  var tokens = docTokens(norm), merged = [];
  // A prefix token marks only the typed part of what it matched.
  function end(t, q) { return q.prefix ? t.start + q.text.length : t.end; }
  var ranges = phrases(tokens, query, false).map(function (m) {
    return [tokens[m[0]].start, end(tokens[m[1]], query[query.length - 1])];
  });
  if (!ranges.length) tokens.forEach(function (t) {
    highlight.tokens.forEach(function (q) { if (hit(t, q)) ranges.push([t.start, end(t, q)]); });
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
function snippet(parent, text, highlight, width) {
  text = String(text || "");
  var ranges = marks(text, highlight), start = 0, end = text.length, at;
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
// A unit's text for its snippet: a page's opening shows its facts line
// (section, tags, issuer …) when only that holds the query.
function textOf(uid, highlight) {
  var unit = unitOf(uid);
  if (!unit) return "";
  var text = unit.text || "";
  if (!unit.anchor && unit.facts && highlight && !marks(text, highlight).length && marks(unit.facts, highlight).length) {
    return unit.facts;
  }
  return text;
}
// The hit to show for a page: the best, unless only its title matched and
// another of the page's best hits shows the query in its text.
function shownHit(result, highlight) {
  var top = result.hits.slice(0, 3);
  if (result.best.cited) return result.best;
  for (var i = 0; i < top.length; i++) if (marks(textOf(top[i].uid, highlight), highlight).length) return top[i];
  return result.best;
}
