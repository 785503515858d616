// ---- Searching ----
// A page matches when it holds every term of the query (any form of
// it); the hit is the unit holding most terms. Ranking: the cited
// article of a page whose title matches; then units holding the whole
// query as a phrase; then units holding more terms; then BM25 per token,
// x1.5 when the unit's label holds a query token, x3 for a page's opening
// when its title holds the whole query. When no page holds every term,
// the units sharing the most of the query's words rank, marked partial.
// Lengths, labels, texts and pages come from units/N.js, loaded for the
// best candidates only (`budget` files at most: on a small site, all).
// `filter` ({kind, tag}) applies when the page map is loaded.
// The search box (no `filter`) looks up a form's rarer tokens first,
// LOOKUP more each round, and leaves out the commonest (meta.common)
// while any other remains: a question or a long title would otherwise
// load a term file per character pair, and a common pair narrows little.
// It stops once the units holding what it looked up fit in the unit
// files it loads: each is then ranked on its text, the exact phrase
// first. The search page, which promises exact totals, looks up every
// token at once.
var LOOKUP = 3;
function lookups(f, common, round) {
  var rare = f.tokens.filter(function (t) { return t.p || !common[t.t]; }), n = rare.length, want = LOOKUP * round, pick = [], i;
  if (!n) return f.tokens.slice().sort(function (a, b) { return common[a.t] - common[b.t]; }).slice(0, 1);
  if (n <= want) return rare;
  // Spread over the form: its first and last tokens and evenly between.
  for (i = 0; i < want; i++) pick.push(rare[Math.round(i * (n - 1) / (want - 1))]);
  return pick.filter(function (t, k) { return pick.indexOf(t) === k; });
}
var commonTerms = null;
// How many unit files hold the candidates, counted up to `max` + 1.
function unitFiles(c, max) {
  for (var i = 0, n = 0, last = -1; i < c.total && n <= max; i++) {
    var ch = Math.floor(c.ids[i] / meta.unitChunk);
    if (ch !== last) { n++; last = ch; }
  }
  return n;
}
function search(text, budget, filter) {
  return prepare(text).then(function () {
    var norm = normalize(text), qt = queryTokens(norm), Q = parse(norm), keys = [], toks = [], shown = [];
    if (!Q.length) return { query: text, tokens: qt, hl: { qt: qt, all: [] }, terms: Q, total: 0, complete: true, pages: [] };
    if (!commonTerms) {
      commonTerms = Object.create(null);
      (meta.common || []).forEach(function (c) { commonTerms[c[0]] = c[1]; });
    }
    // Looks up round `round` of every form's tokens; whether any form
    // has tokens left for another round. `skipped`: some token was not
    // looked up (the hits are then checked on their text, in rank).
    var skipped = false;
    function lookUp(round) {
      var more = false;
      skipped = false;
      Q.forEach(function (term) {
        term.forms.forEach(function (f) {
          var list = filter ? f.tokens : lookups(f, commonTerms, round);
          more = more || lookups(f, commonTerms, round + 1).length > list.length;
          skipped = skipped || list.length < f.tokens.length;
          f.idx = list.map(function (t) {
            var k = (t.p ? "*" : "=") + t.t, j = keys.indexOf(k);
            if (j < 0) { j = keys.length; keys.push(k); toks.push(t); }
            return j;
          });
        });
      });
      return !filter && more;
    }
    Q.forEach(function (term) { term.forms.forEach(function (f) { shown = shown.concat(f.tokens); }); });
    var round = 1, lean = lookUp(round);
    // Several terms may meet only across a page's units: the page map
    // (on the search page) or the unit counts (in the box) say which page
    // each unit is in.
    var wantMap = Q.length > 1, mapKind = filter ? "pagemap" : "starts";
    function run() {
      return Promise.all(toks.map(loadTerms).concat(wantMap ? [load(mapKind, 0).catch(function () { return null; })] : []))
        .then(function (shards) {
          var t0 = now(), D = toks.map(function (t, j) {
            var L = postings(t, shards[j]), n = L.u.length;
            return { t: t, L: L, idf: Math.log(1 + (meta.units - n + 0.5) / (n + 0.5)) };
          });
          var M = [data["pagemap/0"], data["starts/0"]].filter(function (m) { return m && typeof m === "object"; })[0] || null;
          var c = candidates(Q, D, M);
          if (lean && (c.partial || unitFiles(c, budget) > budget)) {
            // More tokens only narrow: once nothing holds them all, the
            // partial ranking needs every token, so take them at once.
            round = c.partial ? Infinity : round + 1;
            lean = lookUp(round);
            return run();
          }
          if (filter && M && M.kind) facet(c, M, filter);
          c.query = text; c.tokens = qt; c.norm = norm; c.terms = Q; c.skipped = skipped; c.ms = now() - t0;
          c.hl = { qt: qt, all: c.partial ? c.partialTokens : shown };
          return resolve(c, budget);
        });
    }
    return run();
  });
}
function now() { return win.performance ? performance.now() : Date.now(); }
// Sorted unit ids in every one of `lists` (smallest first).
function intersect(lists) {
  lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
  var out = [], cur = new Int32Array(lists.length), i, k;
  outer: for (i = 0; i < lists[0].length; i++) {
    var u = lists[0][i];
    for (k = 1; k < lists.length; k++) {
      var a = cur[k] = lowerBound(lists[k], u, cur[k], lists[k].length);
      if (a >= lists[k].length) break outer;
      if (lists[k][a] !== u) continue outer;
    }
    out.push(u);
  }
  return out;
}
// Units holding each term: a form matches where all its tokens occur.
function termUnits(term, D) {
  var lists = term.forms.map(function (f) { return intersect(f.idx.map(function (j) { return D[j].L.u; })); });
  if (lists.length === 1) return lists[0];
  var all = [].concat.apply([], lists).sort(function (a, b) { return a - b; });
  return all.filter(function (u, i) { return !i || u !== all[i - 1]; });
}
// Candidates: units of pages holding every term, each with how many
// terms it holds itself (`cover`) and whether it is a cited article
// (`ref`); else the partial matches. `key` picks which to load first.
function candidates(Q, D, M) {
  var per = Q.map(function (term) { return termUnits(term, D); }), n = Q.length, ids = [], cover = [];
  if (n === 1) {
    ids = per[0];
    cover = ids.map(function () { return 1; });
  } else {
    var mask = new Map(), full = (1 << Math.min(n, 30)) - 1;
    per.forEach(function (list, i) {
      var bit = 1 << Math.min(i, 29);
      list.forEach(function (u) { mask.set(u, (mask.get(u) || 0) | bit); });
    });
    var all = Float64Array.from(mask.keys()).sort(), pageMask = new Map(), i, u, p;
    if (M) for (i = 0; i < all.length; i++) { p = M.unitPage[all[i]]; pageMask.set(p, (pageMask.get(p) || 0) | mask.get(all[i])); }
    for (i = 0; i < all.length; i++) {
      u = all[i];
      var m = mask.get(u);
      if (m === full || (M && pageMask.get(M.unitPage[u]) === full)) {
        ids.push(u);
        for (var bits = 0, x = m; x; x &= x - 1) bits++;
        cover.push(bits);
      }
    }
  }
  var partial = false, partialTokens = null;
  if (!ids.length) {
    var r = partialMatches(Q, D);
    ids = r.ids; cover = r.cover; partial = true; partialTokens = r.tokens;
  }
  // A citation's article term is its first form's one token.
  var isRef = new Uint8Array(D.length);
  Q.forEach(function (term) { if (term.kind === "a") isRef[term.forms[0].idx[0]] = 1; });
  var total = ids.length, key = new Float64Array(total), ref = new Uint8Array(total), cursor = new Int32Array(D.length), d, k2;
  for (k2 = 0; k2 < total; k2++) {
    var score = 0;
    for (d = 0; d < D.length; d++) {
      var L = D[d].L, a = cursor[d] = lowerBound(L.u, ids[k2], cursor[d], L.u.length);
      if (a < L.u.length && L.u[a] === ids[k2]) {
        score += D[d].idf * L.f[a] * (K1 + 1) / (L.f[a] + K1);
        ref[k2] |= isRef[d];
      }
    }
    key[k2] = (ref[k2] ? 1e6 : 0) + cover[k2] * 1e3 + score;
  }
  return {
    ids: Int32Array.from(ids), cover: Float64Array.from(cover), ref: ref,
    key: key, D: D, total: total, partial: partial, partialTokens: partialTokens
  };
}
// No page holds every term: rank units by the query words they share
// (BM25 over the tokens present, times the share of the query's weight
// they cover, squared), keeping those that share a meaningful part.
// Question words were dropped by the parser; tokens in most units
// (meta.common) weigh by their idf, which is low.
function partialMatches(Q, D) {
  var used = [], seen = {}, units = new Map(), nd = D.length;
  // Each form's weight: its tokens' idf. A token in no unit cannot be
  // shared: it weighs as much as the form's average token that is
  // somewhere (a form wholly unknown to the site cannot match at all).
  var W = Q.map(function (term) {
    return term.forms.map(function (f) {
      var found = f.idx.filter(function (j) { return D[j].L.u.length; }), w = 0;
      found.forEach(function (j) { w += D[j].idf; });
      f.idx.forEach(function (j) { if (!seen[j]) { seen[j] = 1; used.push(j); } });
      return found.length ? w * f.idx.length / found.length : Infinity;
    });
  });
  used.forEach(function (j) {
    var L = D[j].L;
    for (var i = 0; i < L.u.length; i++) {
      var tf = units.get(L.u[i]);
      if (!tf) units.set(L.u[i], tf = new Float64Array(nd));
      tf[j] = L.f[i];
    }
  });
  // A term weighs as its own form (as its lightest known form when the
  // site never uses its own words); a unit holds the best share of any form.
  var own = W.map(function (w) {
    var known = w.filter(isFinite);
    return isFinite(w[0]) ? w[0] : known.length ? Math.min.apply(Math, known) : 0;
  }), total = 0, ids = [], cover = [];
  own.forEach(function (w) { total += w; });
  Float64Array.from(units.keys()).sort().forEach(function (u) {
    var tf = units.get(u), got = 0;
    Q.forEach(function (term, t) {
      var best = 0;
      term.forms.forEach(function (f, fi) {
        var have = 0;
        f.idx.forEach(function (j) { if (tf[j]) have += D[j].idf; });
        best = Math.max(best, have / W[t][fi]);
      });
      got += own[t] * best;
    });
    var share = total ? got / total : 0;
    // Meaningful: a third of the query's weight, and all of a one-token query.
    if (share + 1e-9 < (used.length > 1 ? 0.34 : 1)) return;
    ids.push(u);
    cover.push(share * share);
  });
  return { ids: ids, cover: cover, tokens: used.map(function (j) { return D[j].t; }) };
}
// Keeps the candidates whose page passes the kind and tag filter, and
// counts pages per kind (under the tag filter) and per tag (under the
// kind filter), over every match.
function facet(c, M, f) {
  var seen = new Uint8Array(M.kind.length), kinds = {}, tags = {}, pages = 0, all = 0, keep = 0, i, d;
  var tagId = f.tag ? (meta.tags || []).indexOf(f.tag) : -1;
  for (i = 0; i < c.total; i++) {
    var p = M.unitPage[c.ids[i]], kind = MAP_KINDS[M.kind[p]], pt = M.tags[p] || [];
    var okTag = !f.tag || pt.indexOf(tagId) >= 0, okKind = !f.kind || kind === f.kind;
    if (!seen[p]) {
      seen[p] = 1; all++;
      if (okTag) kinds[kind] = (kinds[kind] || 0) + 1;
      if (okKind) pt.forEach(function (t) { var name = (meta.tags || [])[t]; if (name) tags[name] = (tags[name] || 0) + 1; });
      if (okTag && okKind) pages++;
    }
    if (okTag && okKind) {
      c.ids[keep] = c.ids[i]; c.key[keep] = c.key[i]; c.cover[keep] = c.cover[i]; c.ref[keep] = c.ref[i];
      keep++;
    }
  }
  c.total = keep;
  c.facets = { kinds: kinds, tags: tags, pages: pages, all: all };
}
