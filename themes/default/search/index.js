// ---- The index reader: data files by <script> tag, shards, postings ----
var ROOT = doc.documentElement.getAttribute("data-root") || "";
// BOX_FILES: unit files the search box loads at most for a query.
var K1 = 1.2, B = 0.75, SHOWN = 8, PER_PAGE = 20, BOX_FILES = 8;

// ---- Index files: each loaded once, by a <script> tag ----
var data = {}, loads = {};
win.zhikuSearchData = function (kind, id, payload) { data[kind + "/" + id] = payload; };
// The single-file edition carries its index in the page.
var INLINE = win.zhikuSearchInline || null;
function load(kind, id) {
  var key = kind + "/" + id;
  return loads[key] || (loads[key] = new Promise(function (resolve, reject) {
    var s = doc.createElement("script");
    s.src = ROOT + "search/" + (kind === "meta" || kind === "pagemap" || kind === "starts" ? kind : key) + ".js";
    s.onload = function () {
      s.remove();
      if (!(key in data)) return reject(new Error(key));
      if (typeof data[key] !== "string") return resolve(data[key]);
      unpack(data[key]).then(function (bytes) {
        var text = kind === "terms" ? "" : new TextDecoder().decode(bytes);
        resolve(data[key] = kind === "terms" ? readShard(bytes) : kind === "pagemap" ? readPageMap(bytes) : kind === "starts" ? readStarts(bytes) :
          kind === "fold" ? text : JSON.parse(text));
      }).catch(reject);
    };
    s.onerror = function () { reject(new Error(key)); };
    if (!INLINE) return doc.head.appendChild(s);
    if (key in INLINE) data[key] = INLINE[key];
    s.onload();
  }));
}
var meta = null, foldMap = Object.create(null), foldLoaded = {}, started = null;
function ready() {
  return started || (started = load("meta", 0).then(function (m) {
    if (!m || m.v !== 3) throw new Error("index format");
    return (meta = m);
  }));
}

// ---- Postings: {u: unit ids, f: counts}, LEB128 varints ----
// A shard: the term directory, then every term's postings (left encoded
// until a query asks for the term).
function readShard(b) {
  var at = 0, text = new TextDecoder(), map = Object.create(null), dir = [], n, i;
  function varint() {
    for (var v = 0, mul = 1, x; ; mul *= 128) {
      if (at >= b.length) throw new Error("shard");
      x = b[at++]; v += (x & 127) * mul;
      if (x < 128) return v;
    }
  }
  n = varint();
  for (i = 0; i < n; i++) {
    var len = varint(), term = text.decode(b.subarray(at, at + len));
    at += len;
    dir.push([term, varint()]);
  }
  for (i = 0; i < n; i++) { map[dir[i][0]] = b.subarray(at, at + dir[i][1]); at += dir[i][1]; }
  return map;
}
function decode(b) {
  var u = [], f = [], at = 0, unit = 0, v, c, x, mul;
  while (at < b.length) {
    for (v = 0, mul = 1; ; mul *= 128) { x = b[at++]; v += (x & 127) * mul; if (x < 128) break; }
    c = 1;
    if (v % 2) { for (c = 2, mul = 1; ; mul *= 128) { x = b[at++]; c += (x & 127) * mul; if (x < 128) break; } }
    u.push(unit += Math.floor(v / 2)); f.push(c);
  }
  return { u: u, f: f };
}
// LEB128 varints of `b`, one a call.
function varints(b, what) {
  var at = 0;
  return function () {
    for (var v = 0, mul = 1, x; ; mul *= 128) {
      if (at >= b.length) throw new Error(what);
      x = b[at++]; v += (x & 127) * mul;
      if (x < 128) return v;
    }
  };
}
// Each unit's page, from every page's number of units (unit ids are
// given out page by page).
function unitPages(counts) {
  var units = 0, p, u, k;
  for (p = 0; p < counts.length; p++) units += counts[p];
  var unitPage = new Int32Array(units);
  for (p = 0, u = 0; p < counts.length; p++) for (k = 0; k < counts[p]; k++) unitPage[u++] = p;
  return unitPage;
}
// The page map (search page only): each unit's page, each page's kind
// and tags, so that every match can be counted and filtered.
var MAP_KINDS = ["regulation", "checklist", "case", "page"];
function readPageMap(b) {
  var varint = varints(b, "pagemap"), n = varint(), counts = [], kind = new Uint8Array(n), tags = [], p;
  for (p = 0; p < n; p++) {
    counts.push(varint());
    kind[p] = varint();
    for (var t = [], m = varint(); m > 0; m--) t.push(varint());
    tags.push(t);
  }
  return { unitPage: unitPages(counts), kind: kind, tags: tags };
}
// The unit counts alone (the search box, for terms that meet across a
// page's units): a fraction of the page map.
function readStarts(b) {
  var varint = varints(b, "starts"), n = varint(), counts = [];
  while (counts.length < n) counts.push(varint());
  return { unitPage: unitPages(counts) };
}

// One list from several (a prefix token's terms): counts add up per unit.
function merge(lists) {
  if (lists.length === 1) return lists[0];
  var counts = new Map(), out = { u: [], f: [] };
  lists.forEach(function (L) {
    for (var j = 0; j < L.u.length; j++) counts.set(L.u[j], (counts.get(L.u[j]) || 0) + L.f[j]);
  });
  Float64Array.from(counts.keys()).sort().forEach(function (unit) { out.u.push(unit); out.f.push(counts.get(unit)); });
  return out;
}
function fnvText(text) {
  var b = new TextEncoder().encode(text), h = 0x811c9dc5;
  for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h;
}
function fnv(cp) { return fnvText(String.fromCodePoint(cp)); }
// Terms go by their first character; a heavy first character (meta.split)
// is spread over sub-shards by the second (an article's term, 第18条, by
// the whole term). A one-character prefix token needs all of its
// character's sub-shards.
function shardIds(tok) {
  var cps = Array.from(tok.t), split = meta.split && meta.split[cps[0]];
  if (!split) return [fnv(cps[0].codePointAt(0)) % meta.shards];
  if (cps.length < 2) {
    if (!tok.p) return [split[0]];
    var ids = [];
    for (var i = 0; i < split[1]; i++) ids.push(split[0] + i);
    return ids;
  }
  if (/[0-9]/.test(cps[1])) return [split[0] + fnvText(tok.t) % split[1]];
  return [split[0] + fnv(cps[1].codePointAt(0)) % split[1]];
}
function loadTerms(tok) {
  return Promise.all(shardIds(tok).map(function (id) { return load("terms", id); })).then(function (maps) {
    return maps.length === 1 ? maps[0] : Object.assign.apply(Object, [{}].concat(maps));
  });
}
var lists = new Map(), EMPTY = { u: [], f: [] };
function postings(tok, terms) {
  var key = (tok.p ? "*" : "=") + tok.t, L = lists.get(key);
  if (!L) {
    if (!tok.p) L = Object.prototype.hasOwnProperty.call(terms, tok.t) ? decode(terms[tok.t]) : EMPTY;
    else {
      var found = Object.keys(terms).filter(function (t) { return t.lastIndexOf(tok.t, 0) === 0; });
      L = found.length ? merge(found.map(function (t) { return postings({ t: t }, terms); })) : EMPTY;
    }
    lists.set(key, L);
  }
  return L;
}
function lowerBound(a, x, lo, hi) {
  while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; }
  return lo;
}
