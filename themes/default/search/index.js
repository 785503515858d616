// ---- The index reader (docs/search-format.md) ----
// Every data file under search/ is a script calling zhikuSearchData(kind,
// id, payload), added once by a <script> tag (browsers refuse fetch from
// file://). Payloads are read once, as they arrive: units and pages into
// records with named fields, a term shard into its directory of postings
// (left encoded until a query asks for the term), the page map and the
// unit counts into each unit's page.
var ROOT = doc.documentElement.getAttribute("data-root") || "";

// What the data scripts filed, by "kind/id", until it is read; what it
// read as; the loads, each started once.
var payloads = {}, files = {}, loads = {};
win.zhikuSearchData = function (kind, id, payload) { payloads[kind + "/" + id] = payload; };
// The single-file edition carries its index in the page.
var INLINE = win.zhikuSearchInline || null;
// Kinds with one file: search/meta.js, not search/meta/0.js.
var ONE_FILE = { meta: true, pagemap: true, starts: true };
function load(kind, id) {
  var key = kind + "/" + id;
  return loads[key] || (loads[key] = new Promise(function (resolve, reject) {
    var s = doc.createElement("script");
    s.src = ROOT + "search/" + (ONE_FILE[kind] ? kind : key) + ".js";
    s.onload = function () {
      s.remove();
      if (!(key in payloads)) return reject(new Error(key));
      read(kind, payloads[key]).then(function (value) {
        delete payloads[key];
        resolve(files[key] = value);
      }).catch(reject);
    };
    s.onerror = function () { reject(new Error(key)); };
    if (!INLINE) return doc.head.appendChild(s);
    if (key in INLINE) payloads[key] = INLINE[key];
    s.onload();
  }));
}
// A payload as the search uses it: a packed one (a string, base64 of
// zlib) unpacked and read by its kind; meta's object as it is.
var READERS = {
  fold: utf8,
  terms: readShard,
  units: function (bytes) { return readUnits(JSON.parse(utf8(bytes))); },
  pages: function (bytes) { return readPages(JSON.parse(utf8(bytes))); },
  pagemap: readPageMap,
  starts: readStarts
};
function read(kind, payload) {
  if (typeof payload !== "string") return Promise.resolve(payload);
  return unpack(payload).then(READERS[kind] || function (bytes) { return JSON.parse(utf8(bytes)); });
}
function utf8(bytes) { return new TextDecoder().decode(bytes); }

// meta.js: chunk sizes, counts, kinds, tags, synonyms, common terms.
var meta = null, started = null;
function ready() {
  return started || (started = load("meta", 0).then(function (m) {
    if (!m || m.v !== 3) throw new Error("index format");
    return (meta = m);
  }));
}

// ---- Units and pages: positional on disk, named here ----
// A unit is [page, anchor, label, length, text] and, for a page's
// opening, facts; `length` is its number of tokens.
function readUnits(rows) {
  return rows.map(function (row) {
    return { pageId: row[0], anchor: row[1], label: row[2], tokenCount: row[3], text: row[4], facts: row[5] || "" };
  });
}
// A page is [title, url, kind, tag ids].
function readPages(rows) {
  return rows.map(function (row) { return { title: row[0], url: row[1], kind: row[2], tagIds: row[3] || [] }; });
}
// A loaded unit or page by id, or null.
function unitOf(uid) { return (files["units/" + Math.floor(uid / meta.unitChunk)] || [])[uid % meta.unitChunk] || null; }
function pageOf(pid) { return (files["pages/" + Math.floor(pid / meta.pageChunk)] || [])[pid % meta.pageChunk] || null; }

// ---- Term shards and postings: LEB128 varints ----
// A shard: the term directory, then every term's postings.
function readShard(bytes) {
  var at = 0, text = new TextDecoder(), terms = Object.create(null), directory = [], n, i;
  function varint() {
    for (var v = 0, mul = 1, x; ; mul *= 128) {
      if (at >= bytes.length) throw new Error("shard");
      x = bytes[at++]; v += (x & 127) * mul;
      if (x < 128) return v;
    }
  }
  n = varint();
  for (i = 0; i < n; i++) {
    var len = varint(), term = text.decode(bytes.subarray(at, at + len));
    at += len;
    directory.push([term, varint()]);
  }
  for (i = 0; i < n; i++) {
    terms[directory[i][0]] = bytes.subarray(at, at + directory[i][1]);
    at += directory[i][1];
  }
  return terms;
}
// A term's postings: the units holding it, in increasing id, and how many
// times each holds it.
function decode(bytes) {
  var units = [], counts = [], at = 0, unit = 0, v, count, x, mul;
  while (at < bytes.length) {
    for (v = 0, mul = 1; ; mul *= 128) { x = bytes[at++]; v += (x & 127) * mul; if (x < 128) break; }
    count = 1;
    if (v % 2) { for (count = 2, mul = 1; ; mul *= 128) { x = bytes[at++]; count += (x & 127) * mul; if (x < 128) break; } }
    units.push(unit += Math.floor(v / 2)); counts.push(count);
  }
  return { units: units, counts: counts };
}
// LEB128 varints of `bytes`, one a call.
function varints(bytes, what) {
  var at = 0;
  return function () {
    for (var v = 0, mul = 1, x; ; mul *= 128) {
      if (at >= bytes.length) throw new Error(what);
      x = bytes[at++]; v += (x & 127) * mul;
      if (x < 128) return v;
    }
  };
}

// ---- Which page each unit is in ----
// From every page's number of units (unit ids are given out page by page).
function unitPages(counts) {
  var units = 0, p, u, k;
  for (p = 0; p < counts.length; p++) units += counts[p];
  var unitPage = new Int32Array(units);
  for (p = 0, u = 0; p < counts.length; p++) for (k = 0; k < counts[p]; k++) unitPage[u++] = p;
  return unitPage;
}
// The page map (search page only): each unit's page, each page's kind
// and tags, so that every match can be counted and filtered.
var MAP_KINDS = ["regulation", "checklist", "case", "page", "quiz"];
function readPageMap(bytes) {
  var varint = varints(bytes, "pagemap"), n = varint(), counts = [], kind = new Uint8Array(n), tags = [], p;
  for (p = 0; p < n; p++) {
    counts.push(varint());
    kind[p] = varint();
    for (var ids = [], m = varint(); m > 0; m--) ids.push(varint());
    tags.push(ids);
  }
  return { unitPage: unitPages(counts), kind: kind, tags: tags };
}
// The unit counts alone (the search box, for terms that meet across a
// page's units): a fraction of the page map.
function readStarts(bytes) {
  var varint = varints(bytes, "starts"), n = varint(), counts = [];
  while (counts.length < n) counts.push(varint());
  return { unitPage: unitPages(counts) };
}

// ---- Looking a query token up ----
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
function shardIds(token) {
  var cps = Array.from(token.text), split = meta.split && meta.split[cps[0]];
  if (!split) return [fnv(cps[0].codePointAt(0)) % meta.shards];
  if (cps.length < 2) {
    if (!token.prefix) return [split[0]];
    var ids = [];
    for (var i = 0; i < split[1]; i++) ids.push(split[0] + i);
    return ids;
  }
  if (/[0-9]/.test(cps[1])) return [split[0] + fnvText(token.text) % split[1]];
  return [split[0] + fnv(cps[1].codePointAt(0)) % split[1]];
}
// The terms of the shards that may hold `token`'s.
function loadTerms(token) {
  return Promise.all(shardIds(token).map(function (id) { return load("terms", id); })).then(function (shards) {
    return shards.length === 1 ? shards[0] : Object.assign.apply(Object, [{}].concat(shards));
  });
}
// A token's postings, decoded once: a prefix token's are those of every
// term it starts.
var decoded = new Map(), NO_POSTINGS = { units: [], counts: [] };
function postings(token, terms) {
  var key = (token.prefix ? "*" : "=") + token.text, list = decoded.get(key);
  if (!list) {
    if (!token.prefix) {
      list = Object.prototype.hasOwnProperty.call(terms, token.text) ? decode(terms[token.text]) : NO_POSTINGS;
    } else {
      var found = Object.keys(terms).filter(function (t) { return t.lastIndexOf(token.text, 0) === 0; });
      list = found.length ? merge(found.map(function (t) { return postings({ text: t }, terms); })) : NO_POSTINGS;
    }
    decoded.set(key, list);
  }
  return list;
}
// One list from several: counts add up per unit.
function merge(lists) {
  if (lists.length === 1) return lists[0];
  var counts = new Map(), out = { units: [], counts: [] };
  lists.forEach(function (list) {
    for (var j = 0; j < list.units.length; j++) counts.set(list.units[j], (counts.get(list.units[j]) || 0) + list.counts[j]);
  });
  Float64Array.from(counts.keys()).sort().forEach(function (unit) { out.units.push(unit); out.counts.push(counts.get(unit)); });
  return out;
}
// The first index in a[lo, hi) (sorted) whose value is not below x.
function lowerBound(a, x, lo, hi) {
  while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; }
  return lo;
}
