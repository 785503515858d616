// ---- The normaliser and tokens: the same as src/search/normalize.rs ----
// NFKC, lower case, Traditional folded to Simplified with the pairs of
// fold/N.js (loaded by `prepare` for what a query needs), then tokens;
// tests/search/vectors.json holds the cases both sides must agree on.
var WORD = /[\p{Alphabetic}\p{N}]/u, NON_ASCII = /[^\0-\x7f]/gu;
// Traditional → Simplified pairs loaded so far, and the fold files read.
var foldMap = Object.create(null), foldLoaded = {};
// Caches of normalised text, emptied when more pairs load: a text
// normalised before may fold differently now.
var normalCaches = [];
function normalCache() {
  var cache = new Map();
  normalCaches.push(cache);
  return cache;
}
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
      tables.forEach(function (pairs, k) {
        var cps = Array.from(pairs);
        for (var i = 0; i + 1 < cps.length; i += 2) foldMap[cps[i]] = cps[i + 1];
        foldLoaded[ids[k]] = 1;
      });
      if (ids.length) normalCaches.forEach(function (cache) { cache.clear(); });
    });
  }
  return ready().then(function () { return round(text); }).then(function () { return round(normalize(text)); });
}
function fold(c) { return foldMap[c] || c; }
function normalize(s) {
  s = String(s).normalize("NFKC").toLowerCase();
  return s.replace(NON_ASCII, fold);
}
function isCJK(cp) {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
}
// Runs of CJK ideographs, or of other letters and digits: their
// characters and where each starts in `s`.
var CJK_RUN = 1, WORD_RUN = 2;
function runs(s) {
  var out = [], run = null, i = 0, cp, ch, kind;
  for (; i < s.length; i += ch.length) {
    cp = s.codePointAt(i); ch = String.fromCodePoint(cp);
    kind = cp < 128 ? (/[0-9a-z]/i.test(ch) ? WORD_RUN : 0) : isCJK(cp) ? CJK_RUN : WORD.test(ch) ? WORD_RUN : 0;
    if (kind && run && run.kind === kind) { run.chars.push(ch); run.starts.push(i); }
    else if ((run = kind ? { kind: kind, chars: [ch], starts: [i] } : null)) out.push(run);
  }
  return out;
}
// Document mode: tokens {text, start, end} (where they are in `s`); a
// token's position is its index.
function docTokens(s) {
  var out = [];
  runs(s).forEach(function (run) {
    var chars = run.chars, starts = run.starts, n = chars.length, i = 0, next;
    if (run.kind === WORD_RUN) {
      return out.push({ text: chars.join(""), start: starts[0], end: starts[n - 1] + chars[n - 1].length });
    }
    for (; i < n; i++) {
      next = chars[i + 1] || "";
      out.push({ text: chars[i] + next, start: starts[i], end: starts[i] + chars[i].length + next.length });
    }
  });
  return out;
}
// Query mode: {text, prefix, gaps}: `gaps`, the position gaps to the next
// token in a phrase. After a run's last bigram the document has that run's
// last character as a token, so the next run is 2 further on; a
// one-character prefix may have matched a bigram, so 1 or 2.
function queryTokens(s) {
  var all = runs(s), out = [];
  all.forEach(function (run, r) {
    var chars = run.chars, n = chars.length, i = 0;
    if (run.kind === WORD_RUN) out.push({ text: chars.join(""), prefix: r === all.length - 1, gaps: [1] });
    else if (n === 1) out.push({ text: chars[0], prefix: true, gaps: [1, 2] });
    else for (; i + 1 < n; i++) out.push({ text: chars[i] + chars[i + 1], prefix: false, gaps: [i + 2 < n ? 1 : 2] });
  });
  return out;
}
// The runs of `s` alone, a space between them.
function compact(s) { return runs(s).map(function (run) { return run.chars.join(""); }).join(" "); }
