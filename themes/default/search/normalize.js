// ---- Normaliser and tokens: the same as src/search/normalize.rs ----
// Loads the Traditional→Simplified pairs `text` needs: those of its own
// characters (to fold it), then those of what they fold to (so that the
// texts' characters that fold to them are folded too). A text character
// whose pair is not loaded cannot become one of the query's, so it can
// neither match nor be marked either way.
function prepare(text) {
  function round(s) {
    var ids = [];
    Array.from(String(s).normalize("NFKC").toLowerCase()).forEach(function (c) {
      var id = c.charCodeAt(0) < 128 ? -1 : fnv(c.codePointAt(0)) % meta.foldShards;
      if (id >= 0 && !foldLoaded[id] && ids.indexOf(id) < 0) ids.push(id);
    });
    return Promise.all(ids.map(function (id) { return load("fold", id); })).then(function (tables) {
      tables.forEach(function (t, k) {
        var cps = Array.from(t);
        for (var i = 0; i + 1 < cps.length; i += 2) foldMap[cps[i]] = cps[i + 1];
        foldLoaded[ids[k]] = 1;
      });
      // Texts normalised before these pairs may fold differently now.
      if (ids.length) { labels.clear(); titles.clear(); }
    });
  }
  return ready().then(function () { return round(text); }).then(function () { return round(normalize(text)); });
}
var WORD = /[\p{Alphabetic}\p{N}]/u, NON_ASCII = /[^\0-\x7f]/gu;
function fold(c) { return foldMap[c] || c; }
function normalize(s) {
  s = String(s).normalize("NFKC").toLowerCase();
  return s.replace(NON_ASCII, fold);
}
function isCJK(cp) {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
}
// Runs of CJK (k 1) or other letters and digits (k 2): characters c at offsets o.
function runs(s) {
  var out = [], cur = null, i = 0, cp, ch, k;
  for (; i < s.length; i += ch.length) {
    cp = s.codePointAt(i); ch = String.fromCodePoint(cp);
    k = cp < 128 ? (/[0-9a-z]/i.test(ch) ? 2 : 0) : isCJK(cp) ? 1 : WORD.test(ch) ? 2 : 0;
    if (k && cur && cur.k === k) { cur.c.push(ch); cur.o.push(i); }
    else if ((cur = k ? { k: k, c: [ch], o: [i] } : null)) out.push(cur);
  }
  return out;
}
// Document mode: tokens {t, s, e} (term, start, end); the position is the index.
function docTokens(s) {
  var out = [];
  runs(s).forEach(function (r) {
    var c = r.c, o = r.o, n = c.length, i = 0;
    if (r.k === 2) return out.push({ t: c.join(""), s: o[0], e: o[n - 1] + c[n - 1].length });
    for (; i < n; i++) out.push({ t: c[i] + (c[i + 1] || ""), s: o[i], e: o[i] + c[i].length + (c[i + 1] || "").length });
  });
  return out;
}
// Query mode: {t, p: prefix, g: position gaps to the next token in a phrase}.
// After a run's last bigram the document has that run's last character as
// a token, so the next run is 2 further on; a one-character prefix may have
// matched a bigram, so 1 or 2.
function queryTokens(s) {
  var rs = runs(s), out = [];
  rs.forEach(function (r, ri) {
    var c = r.c, n = c.length, i = 0;
    if (r.k === 2) out.push({ t: c.join(""), p: ri === rs.length - 1, g: [1] });
    else if (n === 1) out.push({ t: c[0], p: true, g: [1, 2] });
    else for (; i + 1 < n; i++) out.push({ t: c[i] + c[i + 1], p: false, g: [i + 2 < n ? 1 : 2] });
  });
  return out;
}
function compact(s) { return runs(s).map(function (r) { return r.c.join(""); }).join(" "); }
