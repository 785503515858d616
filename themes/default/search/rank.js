// ---- Ranking: BM25 with each unit's length, boosts, phrases ----
var K1 = 1.2, B = 0.75;
// The indices of the k best candidates, best first (quickselect, then sort).
function best(found, k) {
  var n = found.total, key = found.key, pick = [], i;
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
function resolve(found, budget) {
  var U = meta.unitChunk, P = meta.pageChunk, chunks = [], top = best(found, Math.min(found.total, budget * 8));
  for (var r = 0; r < top.length && chunks.length < budget; r++) {
    var chunk = Math.floor(found.ids[top[r]] / U);
    if (chunks.indexOf(chunk) < 0) chunks.push(chunk);
    if (r === top.length - 1 && top.length < found.total) top = best(found, found.total);
  }
  return Promise.all(chunks.map(function (chunk) { return load("units", chunk); })).then(function (loaded) {
    var hits = [], pageFiles = [];
    chunks.forEach(function (chunk, k) {
      var i = lowerBound(found.ids, chunk * U, 0, found.total), end = lowerBound(found.ids, chunk * U + U, i, found.total);
      for (; i < end; i++) {
        var unit = loaded[k][found.ids[i] - chunk * U];
        if (!unit) continue;
        hits.push({ i: i, uid: found.ids[i], unit: unit });
        if (pageFiles.indexOf(Math.floor(unit.pageId / P)) < 0) pageFiles.push(Math.floor(unit.pageId / P));
      }
    });
    return Promise.all(pageFiles.map(function (n) { return load("pages", n); })).then(function () { return rank(found, hits); });
  });
}
// The text the index read for a unit (src/search/mod.rs, indexed_text).
function indexedText(unit, title) {
  return unit.anchor ? unit.label + "\n" + unit.text : title + "\n" + unit.facts + "\n" + unit.text;
}
// Normalised labels by unit id, compact normalised titles by page id.
var labels = normalCache(), titles = normalCache();
// The loaded hits, scored and grouped under their pages, best first.
function rank(found, hits) {
  var t0 = now(), wanted = compact(found.norm), byId = new Map(), pages = [];
  // Word terms a page's title must hold for its cited article to come first.
  var words = found.terms.filter(function (t) { return t.kind !== ARTICLE; });
  hits.forEach(function (h) {
    var unit = h.unit, pid = unit.pageId, page = pageOf(pid), s;
    if (!page) return;
    var score = bm25(found.lists, h.uid, unit.tokenCount);
    if (unit.label) {
      if ((s = labels.get(h.uid)) === undefined) labels.set(h.uid, s = normalize(unit.label));
      if (found.tokens.some(function (t) { return s.indexOf(t.text) >= 0; })) score *= 1.5;
    }
    if ((s = titles.get(pid)) === undefined) titles.set(pid, s = compact(normalize(page.title)));
    if (!unit.anchor && s.indexOf(wanted) >= 0) score *= 3;
    var cited = 0;
    if (found.ref[h.i]) {
      var title = s.replace(/ /g, "");
      cited = words.every(function (t) { return t.forms.some(function (f) { return title.indexOf(f.text) >= 0; }); }) ? 1 : 0;
    }
    // The phrase check, on the unit's text as the index saw it; a phrase
    // near the start counts more.
    var tokens = found.partial ? [] : docTokens(normalize(indexedText(unit, page.title)));
    var phrase = found.partial ? [] : phrases(tokens, found.tokens, true);
    if (phrase.length && phrase[0][0] < 16) score *= 1.5;
    var group = byId.get(pid);
    if (!group) {
      byId.set(pid, group = { id: pid, title: page.title, url: page.url, kind: page.kind, tags: page.tagIds, hits: [], held: 0 });
      pages.push(group);
    }
    if (found.skipped && !found.partial) group.held |= heldTerms(found.terms, tokens, found.ref[h.i], /…$/.test(unit.text));
    group.hits.push({
      uid: h.uid, anchor: unit.anchor, label: unit.label, cited: cited, phrase: phrase.length ? 1 : 0,
      ref: found.ref[h.i], cover: found.cover[h.i], score: score
    });
  });
  return ranked(found, pages, hits.length, t0);
}
// BM25 of a unit of `length` tokens over the looked-up lists.
function bm25(lists, uid, length) {
  var avg = meta.avgLength || 1, score = 0;
  for (var d = 0; d < lists.length; d++) {
    var list = lists[d].postings, a = lowerBound(list.units, uid, 0, list.units.length);
    if (a >= list.units.length || list.units[a] !== uid) continue;
    var tf = list.counts[a];
    score += lists[d].idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg));
  }
  return score;
}
// The answer: pages in order, each with its hits in order.
function ranked(found, pages, resolved, t0) {
  function better(a, b) {
    return (b.cited - a.cited) || (b.phrase - a.phrase) || (b.ref - a.ref) || (b.cover - a.cover) ||
      (b.score - a.score) || (a.uid - b.uid);
  }
  // With tokens left out of the look-up, a page holds the query only if
  // its units' text shows every term; those come first, and when none
  // does the answer is partial.
  var all = (1 << Math.min(found.terms.length, 30)) - 1, partial = found.partial;
  pages.forEach(function (g) { g.hits.sort(better); g.best = g.hits[0]; g.full = !found.skipped || g.held === all ? 1 : 0; });
  pages.sort(function (a, b) { return (b.full - a.full) || better(a.best, b.best); });
  if (found.skipped && pages.length && !pages[0].full) partial = true;
  return {
    query: found.query, tokens: found.tokens, highlight: found.highlight, terms: found.terms, partial: partial,
    total: found.total, resolved: resolved, facets: found.facets || null,
    complete: resolved === found.total && !found.skipped, pages: pages, ms: found.ms + now() - t0
  };
}
// The terms (as bits) a unit holds on its text: a form whose every token
// occurs, a cited article (`ref`), or, when the text was cut short for
// the index files (`cut`), every term (it cannot be told).
function heldTerms(terms, tokens, ref, cut) {
  var bits = 0;
  terms.forEach(function (term, i) {
    var held = cut || (term.kind === ARTICLE && ref) || term.forms.some(function (f, fi) {
      return !(term.kind === ARTICLE && fi === 0) && f.tokens.every(function (q) {
        return tokens.some(function (t) { return hit(t, q); });
      });
    });
    if (held) bits |= 1 << Math.min(i, 29);
  });
  return bits;
}

// ---- Phrases ----
// Whether document token `token` is query token `q` (starts with it, for a prefix).
function hit(token, q) { return q.prefix ? token.text.lastIndexOf(q.text, 0) === 0 : token.text === q.text; }
// Where the query tokens `query` occur one after another in document
// tokens, as [first, last] token indices (the first only, if `one`).
function phrases(tokens, query, one) {
  var out = [];
  function follow(j, qi) {
    if (qi === query.length) return j;
    for (var gaps = query[qi - 1].gaps, k = 0, e; k < gaps.length; k++) {
      var next = tokens[j + gaps[k]];
      if (next && hit(next, query[qi]) && (e = follow(j + gaps[k], qi + 1)) >= 0) return e;
    }
    return -1;
  }
  for (var j = 0, e; j < tokens.length; j++) {
    if (hit(tokens[j], query[0]) && (e = follow(j, 1)) >= 0) {
      out.push([j, e]);
      if (one) break;
    }
  }
  return out;
}
