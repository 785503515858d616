// ---- Ranking ----
// The indices of the k best candidates, best first (quickselect, then sort).
function best(c, k) {
  var n = c.total, key = c.key, pick = [], i;
  if (k < n) {
    var a = Array.prototype.slice.call(key, 0, n), lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
      var pivot = a[(lo + hi) >> 1], l = lo, r = hi;
      while (l <= r) {
        while (a[l] > pivot) l++;
        while (a[r] < pivot) r--;
        if (l <= r) { var t = a[l]; a[l++] = a[r]; a[r--] = t; }
      }
      if (want <= r) hi = r; else if (want >= l) lo = l; else break;
    }
    for (i = 0; i < n; i++) if (key[i] > a[want]) pick.push(i);
    for (i = 0; i < n && pick.length < k; i++) if (key[i] === a[want]) pick.push(i);
  } else for (i = 0; i < n; i++) pick.push(i);
  return pick.sort(function (x, y) { return (key[y] - key[x]) || (x - y); });
}
// Loads the unit files of the best candidates and ranks every candidate
// in them: the same set for the same query, whatever was loaded before.
function resolve(c, budget) {
  var U = meta.unitChunk, P = meta.pageChunk, chunks = [], top = best(c, Math.min(c.total, budget * 8));
  for (var r = 0; r < top.length && chunks.length < budget; r++) {
    var ch = Math.floor(c.ids[top[r]] / U);
    if (chunks.indexOf(ch) < 0) chunks.push(ch);
    if (r === top.length - 1 && top.length < c.total) top = best(c, c.total);
  }
  return Promise.all(chunks.map(function (ch) { return load("units", ch); })).then(function (files) {
    var hits = [], pageFiles = [];
    chunks.forEach(function (ch, k) {
      var i = lowerBound(c.ids, ch * U, 0, c.total), end = lowerBound(c.ids, ch * U + U, i, c.total);
      for (; i < end; i++) {
        var unit = files[k][c.ids[i] - ch * U];
        if (!unit) continue;
        hits.push({ i: i, uid: c.ids[i], unit: unit });
        if (pageFiles.indexOf(Math.floor(unit[0] / P)) < 0) pageFiles.push(Math.floor(unit[0] / P));
      }
    });
    return Promise.all(pageFiles.map(function (n) { return load("pages", n); })).then(function () { return rank(c, hits); });
  });
}
// The text the index read for a unit (src/search/mod.rs, indexed_text).
function indexedText(unit, title) { return unit[1] ? unit[2] + "\n" + unit[4] : title + "\n" + (unit[5] || "") + "\n" + unit[4]; }
var labels = new Map(), titles = new Map();
function rank(c, hits) {
  var t0 = now(), P = meta.pageChunk, avg = meta.avgLength || 1, D = c.D;
  var wanted = compact(c.norm), pages = new Map(), out = [];
  // Words terms a page's title must hold for its cited article to come first.
  var words = c.terms.filter(function (t) { return t.kind !== "a"; });
  hits.forEach(function (h) {
    var unit = h.unit, pid = unit[0], page = (data["pages/" + Math.floor(pid / P)] || [])[pid % P], score = 0, s;
    if (!page) return;
    for (var d = 0; d < D.length; d++) {
      var L = D[d].L, a = lowerBound(L.u, h.uid, 0, L.u.length);
      if (a >= L.u.length || L.u[a] !== h.uid) continue;
      var tf = L.f[a];
      score += D[d].idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * unit[3] / avg));
    }
    if (unit[2]) {
      if ((s = labels.get(h.uid)) === undefined) labels.set(h.uid, s = normalize(unit[2]));
      if (c.tokens.some(function (t) { return s.indexOf(t.t) >= 0; })) score *= 1.5;
    }
    if ((s = titles.get(pid)) === undefined) titles.set(pid, s = compact(normalize(page[0])));
    if (!unit[1] && s.indexOf(wanted) >= 0) score *= 3;
    var cited = 0;
    if (c.ref[h.i]) {
      var title = s.replace(/ /g, "");
      cited = words.every(function (t) { return t.forms.some(function (f) { return title.indexOf(f.text) >= 0; }); }) ? 1 : 0;
    }
    // The phrase check, on the unit's text as the index saw it; a phrase
    // near the start counts more.
    var toks = c.partial ? [] : docTokens(normalize(indexedText(unit, page[0])));
    var found = c.partial ? [] : phrases(toks, c.tokens, true);
    if (found.length && found[0][0] < 16) score *= 1.5;
    var g = pages.get(pid);
    if (!g) {
      pages.set(pid, g = { id: pid, title: page[0], url: page[1], kind: page[2], tags: page[3] || [], hits: [], held: 0 });
      out.push(g);
    }
    if (c.skipped && !c.partial) g.held |= heldTerms(c.terms, toks, c.ref[h.i], /…$/.test(unit[4]));
    g.hits.push({
      uid: h.uid, anchor: unit[1], label: unit[2], cited: cited, phrase: found.length ? 1 : 0,
      ref: c.ref[h.i], cover: c.cover[h.i], score: score
    });
  });
  function better(a, b) {
    return (b.cited - a.cited) || (b.phrase - a.phrase) || (b.ref - a.ref) || (b.cover - a.cover) ||
      (b.score - a.score) || (a.uid - b.uid);
  }
  // With tokens left out of the look-up, a page holds the query only if
  // its units' text shows every term; those come first, and when none
  // does the answer is partial.
  var all = (1 << Math.min(c.terms.length, 30)) - 1, partial = c.partial;
  out.forEach(function (g) { g.hits.sort(better); g.best = g.hits[0]; g.full = !c.skipped || g.held === all ? 1 : 0; });
  out.sort(function (a, b) { return (b.full - a.full) || better(a.best, b.best); });
  if (c.skipped && out.length && !out[0].full) partial = true;
  return {
    query: c.query, tokens: c.tokens, hl: c.hl, terms: c.terms, partial: partial, total: c.total, resolved: hits.length,
    facets: c.facets || null, complete: hits.length === c.total && !c.skipped, pages: out, ms: c.ms + now() - t0
  };
}
// The terms (as bits) a unit holds on its text: a form whose every token
// occurs, a cited article (`ref`), or, when the text was cut short for
// the index files (`cut`), every term (it cannot be told).
function heldTerms(terms, toks, ref, cut) {
  var bits = 0;
  terms.forEach(function (term, i) {
    var held = cut || (term.kind === "a" && ref) || term.forms.some(function (f, fi) {
      return !(term.kind === "a" && fi === 0) && f.tokens.every(function (q) {
        return toks.some(function (t) { return hit(t, q); });
      });
    });
    if (held) bits |= 1 << Math.min(i, 29);
  });
  return bits;
}


// ---- Phrases ----
function hit(tok, q) { return q.p ? tok.t.lastIndexOf(q.t, 0) === 0 : tok.t === q.t; }
// Where the query tokens occur one after another in document tokens, as
// [first, last] token indices (the first only, if `one`).
function phrases(toks, qt, one) {
  var out = [];
  function follow(j, qi) {
    if (qi === qt.length) return j;
    for (var g = qt[qi - 1].g, k = 0, e; k < g.length; k++) {
      if (toks[j + g[k]] && hit(toks[j + g[k]], qt[qi]) && (e = follow(j + g[k], qi + 1)) >= 0) return e;
    }
    return -1;
  }
  for (var j = 0, e; j < toks.length; j++) {
    if (hit(toks[j], qt[0]) && (e = follow(j, 1)) >= 0) {
      out.push([j, e]);
      if (one) break;
    }
  }
  return out;
}
// Ranges of the original text to mark: the query where it occurs as a
// phrase, else every token matching a query token.
