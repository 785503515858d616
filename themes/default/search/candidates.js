// ---- Searching: the query looked up, its candidates ----
// A page matches when it holds every term of the query (any form of
// it); the hit is the unit holding most terms. Ranking (rank.js): the
// cited article of a page whose title matches; then units holding the
// whole query as a phrase; then units holding more terms; then BM25 per
// token, x1.5 when the unit's label holds a query token, x3 for a page's
// opening when its title holds the whole query. When no page holds every
// term, the units sharing the most of the query's words rank, marked
// partial. Lengths, labels, texts and pages come from units/N.js, loaded
// for the best candidates only (`budget` files at most: on a small site,
// all). `filter` ({kind, tag}) applies when the page map is loaded.
//
// The search box (no `filter`) looks up a form's rarer tokens first,
// LOOKUP more each round, and leaves out the commonest (meta.common)
// while any other remains: a question or a long title would otherwise
// load a term file per character pair, and a common pair narrows little.
// It stops once the units holding what it looked up fit in the unit
// files it loads: each is then ranked on its text, the exact phrase
// first. The search page, which promises exact totals, looks up every
// token at once.
var LOOKUP = 3, commonTerms = null;
function search(text, budget, filter) {
  return prepare(text).then(function () {
    var norm = normalize(text), tokens = queryTokens(norm), terms = parse(norm);
    if (!terms.length) {
      return { query: text, tokens: tokens, highlight: { phrase: tokens, tokens: [] }, terms: terms, total: 0, complete: true, pages: [] };
    }
    if (!commonTerms) {
      commonTerms = Object.create(null);
      (meta.common || []).forEach(function (c) { commonTerms[c[0]] = c[1]; });
    }
    var plan = { terms: terms, filter: filter, keys: [], tokens: [], round: 1, skipped: false, more: false };
    var every = [];
    terms.forEach(function (term) { term.forms.forEach(function (f) { every = every.concat(f.tokens); }); });
    lookUp(plan, 1);
    return collect(plan, budget).then(function (found) {
      if (filter && found.pageMap && found.pageMap.kind) facet(found, found.pageMap, filter);
      found.query = text; found.tokens = tokens; found.norm = norm; found.terms = terms; found.skipped = plan.skipped;
      found.ms = now() - found.started;
      found.highlight = { phrase: tokens, tokens: found.partial ? found.partialTokens : every };
      return resolve(found, budget);
    });
  });
}
// Which of a form's tokens round `round` looks up.
function lookups(f, common, round) {
  var rare = f.tokens.filter(function (t) { return t.prefix || !common[t.text]; }), n = rare.length, want = LOOKUP * round, pick = [], i;
  if (!n) return f.tokens.slice().sort(function (a, b) { return common[a.text] - common[b.text]; }).slice(0, 1);
  if (n <= want) return rare;
  // Spread over the form: its first and last tokens and evenly between.
  for (i = 0; i < want; i++) pick.push(rare[Math.round(i * (n - 1) / (want - 1))]);
  return pick.filter(function (t, k) { return pick.indexOf(t) === k; });
}
// Plans round `round`: each form's `lists`, indices into `plan.tokens`
// (every token looked up, once); `plan.more`: the box has tokens left for
// another round; `plan.skipped`: some token is not looked up (the hits
// are then checked on their text, in rank).
function lookUp(plan, round) {
  var more = false;
  plan.round = round;
  plan.skipped = false;
  plan.terms.forEach(function (term) {
    term.forms.forEach(function (f) {
      var list = plan.filter ? f.tokens : lookups(f, commonTerms, round);
      more = more || lookups(f, commonTerms, round + 1).length > list.length;
      plan.skipped = plan.skipped || list.length < f.tokens.length;
      f.lists = list.map(function (t) {
        var key = (t.prefix ? "*" : "=") + t.text, j = plan.keys.indexOf(key);
        if (j < 0) { j = plan.keys.length; plan.keys.push(key); plan.tokens.push(t); }
        return j;
      });
    });
  });
  plan.more = !plan.filter && more;
}
// Loads the planned tokens' postings and finds the candidates, planning
// another round while the box's candidates span more unit files than it
// loads. Several terms may meet only across a page's units: the page map
// (on the search page) or the unit counts (in the box) say which page
// each unit is in.
function collect(plan, budget) {
  var wantMap = plan.terms.length > 1, mapKind = plan.filter ? "pagemap" : "starts";
  return Promise.all(plan.tokens.map(loadTerms).concat(wantMap ? [load(mapKind, 0).catch(function () { return null; })] : []))
    .then(function (shards) {
      var t0 = now(), lists = plan.tokens.map(function (token, j) {
        var list = postings(token, shards[j]), n = list.units.length;
        return { token: token, postings: list, idf: Math.log(1 + (meta.units - n + 0.5) / (n + 0.5)) };
      });
      var pageMap = files["pagemap/0"] || files["starts/0"] || null;
      var found = candidates(plan.terms, lists, pageMap);
      if (plan.more && (found.partial || unitFiles(found, budget) > budget)) {
        // More tokens only narrow: once nothing holds them all, the
        // partial ranking needs every token, so take them at once.
        lookUp(plan, found.partial ? Infinity : plan.round + 1);
        return collect(plan, budget);
      }
      found.pageMap = pageMap;
      found.started = t0;
      return found;
    });
}
function now() { return win.performance ? performance.now() : Date.now(); }
// How many unit files hold the candidates, counted up to `max` + 1.
function unitFiles(found, max) {
  for (var i = 0, n = 0, last = -1; i < found.total && n <= max; i++) {
    var chunk = Math.floor(found.ids[i] / meta.unitChunk);
    if (chunk !== last) { n++; last = chunk; }
  }
  return n;
}

// ---- Candidates ----
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
function termUnits(term, lists) {
  var each = term.forms.map(function (f) { return intersect(f.lists.map(function (j) { return lists[j].postings.units; })); });
  if (each.length === 1) return each[0];
  var all = [].concat.apply([], each).sort(function (a, b) { return a - b; });
  return all.filter(function (u, i) { return !i || u !== all[i - 1]; });
}
// Candidates: units of pages holding every term, each with how many
// terms it holds itself (`cover`) and whether it is a cited article
// (`ref`); else the partial matches. `key` picks which to load first.
function candidates(terms, lists, pageMap) {
  var found = fullMatches(terms, lists, pageMap), partial = false, partialTokens = null;
  if (!found.ids.length) {
    found = partialMatches(terms, lists);
    partial = true; partialTokens = found.tokens;
  }
  var ids = found.ids, cover = found.cover;
  // A citation's article term is its first form's one token.
  var isRef = new Uint8Array(lists.length);
  terms.forEach(function (term) { if (term.kind === ARTICLE) isRef[term.forms[0].lists[0]] = 1; });
  var total = ids.length, key = new Float64Array(total), ref = new Uint8Array(total), cursor = new Int32Array(lists.length), d, k;
  for (k = 0; k < total; k++) {
    var score = 0;
    for (d = 0; d < lists.length; d++) {
      var list = lists[d].postings, a = cursor[d] = lowerBound(list.units, ids[k], cursor[d], list.units.length);
      if (a < list.units.length && list.units[a] === ids[k]) {
        score += lists[d].idf * list.counts[a] * (K1 + 1) / (list.counts[a] + K1);
        ref[k] |= isRef[d];
      }
    }
    key[k] = (ref[k] ? 1e6 : 0) + cover[k] * 1e3 + score;
  }
  return {
    ids: Int32Array.from(ids), cover: Float64Array.from(cover), ref: ref,
    key: key, lists: lists, total: total, partial: partial, partialTokens: partialTokens
  };
}
// The units of pages holding every term (with the page map, a page may
// hold them across its units), each with how many terms it holds.
function fullMatches(terms, lists, pageMap) {
  var each = terms.map(function (term) { return termUnits(term, lists); }), n = terms.length, ids = [], cover = [];
  if (n === 1) return { ids: each[0], cover: each[0].map(function () { return 1; }) };
  var mask = new Map(), full = (1 << Math.min(n, 30)) - 1;
  each.forEach(function (list, i) {
    var bit = 1 << Math.min(i, 29);
    list.forEach(function (u) { mask.set(u, (mask.get(u) || 0) | bit); });
  });
  var all = Float64Array.from(mask.keys()).sort(), pageMask = new Map(), i, u, p;
  if (pageMap) {
    for (i = 0; i < all.length; i++) { p = pageMap.unitPage[all[i]]; pageMask.set(p, (pageMask.get(p) || 0) | mask.get(all[i])); }
  }
  for (i = 0; i < all.length; i++) {
    u = all[i];
    var m = mask.get(u);
    if (m === full || (pageMap && pageMask.get(pageMap.unitPage[u]) === full)) {
      ids.push(u);
      for (var bits = 0, x = m; x; x &= x - 1) bits++;
      cover.push(bits);
    }
  }
  return { ids: ids, cover: cover };
}
// No page holds every term: rank units by the query words they share
// (BM25 over the tokens present, times the share of the query's weight
// they cover, squared), keeping those that share a meaningful part.
// Question words were dropped by the parser; tokens in most units
// (meta.common) weigh by their idf, which is low.
function partialMatches(terms, lists) {
  var used = [], seen = {}, units = new Map(), nd = lists.length;
  // Each form's weight: its tokens' idf. A token in no unit cannot be
  // shared: it weighs as much as the form's average token that is
  // somewhere (a form wholly unknown to the site cannot match at all).
  var weights = terms.map(function (term) {
    return term.forms.map(function (f) {
      var known = f.lists.filter(function (j) { return lists[j].postings.units.length; }), w = 0;
      known.forEach(function (j) { w += lists[j].idf; });
      f.lists.forEach(function (j) { if (!seen[j]) { seen[j] = 1; used.push(j); } });
      return known.length ? w * f.lists.length / known.length : Infinity;
    });
  });
  used.forEach(function (j) {
    var list = lists[j].postings;
    for (var i = 0; i < list.units.length; i++) {
      var counts = units.get(list.units[i]);
      if (!counts) units.set(list.units[i], counts = new Float64Array(nd));
      counts[j] = list.counts[i];
    }
  });
  // A term weighs as its own form (as its lightest known form when the
  // site never uses its own words); a unit holds the best share of any form.
  var own = weights.map(function (w) {
    var known = w.filter(isFinite);
    return isFinite(w[0]) ? w[0] : known.length ? Math.min.apply(Math, known) : 0;
  }), total = 0, ids = [], cover = [];
  own.forEach(function (w) { total += w; });
  Float64Array.from(units.keys()).sort().forEach(function (u) {
    var counts = units.get(u), got = 0;
    terms.forEach(function (term, t) {
      var held = 0;
      term.forms.forEach(function (f, fi) {
        var have = 0;
        f.lists.forEach(function (j) { if (counts[j]) have += lists[j].idf; });
        held = Math.max(held, have / weights[t][fi]);
      });
      got += own[t] * held;
    });
    var share = total ? got / total : 0;
    // Meaningful: a third of the query's weight, and all of a one-token query.
    if (share + 1e-9 < (used.length > 1 ? 0.34 : 1)) return;
    ids.push(u);
    cover.push(share * share);
  });
  return { ids: ids, cover: cover, tokens: used.map(function (j) { return lists[j].token; }) };
}
// Keeps the candidates whose page passes the kind and tag filter, and
// counts pages per kind (under the tag filter) and per tag (under the
// kind filter), over every match.
function facet(found, pageMap, filter) {
  var seen = new Uint8Array(pageMap.kind.length), kinds = {}, tags = {}, pages = 0, all = 0, keep = 0, i;
  var tagId = filter.tag ? (meta.tags || []).indexOf(filter.tag) : -1;
  for (i = 0; i < found.total; i++) {
    var p = pageMap.unitPage[found.ids[i]], kind = MAP_KINDS[pageMap.kind[p]], pageTags = pageMap.tags[p] || [];
    var okTag = !filter.tag || pageTags.indexOf(tagId) >= 0, okKind = !filter.kind || kind === filter.kind;
    if (!seen[p]) {
      seen[p] = 1; all++;
      if (okTag) kinds[kind] = (kinds[kind] || 0) + 1;
      if (okKind) pageTags.forEach(function (t) { var name = (meta.tags || [])[t]; if (name) tags[name] = (tags[name] || 0) + 1; });
      if (okTag && okKind) pages++;
    }
    if (okTag && okKind) {
      found.ids[keep] = found.ids[i]; found.key[keep] = found.key[i]; found.cover[keep] = found.cover[i]; found.ref[keep] = found.ref[i];
      keep++;
    }
  }
  found.total = keep;
  found.facets = { kinds: kinds, tags: tags, pages: pages, all: all };
}
