/* zhiku search, loaded by zhiku.js on first use of the search box (at once
   on the search page). Plain script: no modules, no fetch, no eval. The
   index is script files calling zhikuSearchData(kind, id, payload), see
   docs/search-format.md. Titles and snippets go into the page as text. */
(function () {
  "use strict";
  var win = window, doc = document;
  if (win.zhikuSearch) return;
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

  // ---- Normaliser and tokens: the same as src/search/normalize.rs ----
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

  // ---- Packed payloads: base64 of zlib (docs/search-format.md) ----
  function unpack(b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length), i;
    for (i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (!win.DecompressionStream || !win.Response || !win.Blob) return Promise.resolve(inflate(bytes));
    var stream = new Blob([bytes]).stream().pipeThrough(new win.DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  // RFC 1950/1951 inflate, for browsers without DecompressionStream (older
  // phone browsers and in-app viewers). Canonical Huffman codes decoded bit
  // by bit, as zlib's puff.c does: small rather than fast.
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258],
    LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0],
    DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
      4097, 6145, 8193, 12289, 16385, 24577],
    DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13],
    CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  function inflate(src) {
    var out = new Uint8Array(src.length * 4 + 64), n = 0, at = 2, bb = 0, bc = 0, last, type, i;
    function bits(k) {
      while (bc < k) {
        if (at >= src.length) throw new Error("inflate: truncated");
        bb |= src[at++] << bc; bc += 8;
      }
      var v = bb & ((1 << k) - 1);
      bb >>>= k; bc -= k;
      return v;
    }
    function put(b) {
      if (n === out.length) { var grown = new Uint8Array(n * 2); grown.set(out); out = grown; }
      out[n++] = b;
    }
    function table(lengths) {
      var count = new Uint16Array(16), offs = new Uint16Array(16), sym = new Uint16Array(lengths.length), j;
      for (j = 0; j < lengths.length; j++) count[lengths[j]]++;
      count[0] = 0;
      for (j = 1; j < 16; j++) offs[j] = offs[j - 1] + count[j - 1];
      for (j = 0; j < lengths.length; j++) if (lengths[j]) sym[offs[lengths[j]]++] = j;
      return { count: count, sym: sym };
    }
    function symbol(h) {
      for (var len = 1, code = 0, first = 0, index = 0, c; len < 16; len++) {
        code |= bits(1);
        c = h.count[len];
        if (code - first < c) return h.sym[index + code - first];
        index += c; first = (first + c) << 1; code <<= 1;
      }
      throw new Error("inflate: bad code");
    }
    if ((src[0] & 15) !== 8) throw new Error("inflate: not zlib");
    do {
      last = bits(1); type = bits(2);
      if (type === 0) {
        bb = bc = 0;
        var len = src[at] | src[at + 1] << 8;
        at += 4;
        if (at + len > src.length) throw new Error("inflate: truncated");
        for (i = 0; i < len; i++) put(src[at++]);
        continue;
      }
      var lit, dist, lens;
      if (type === 1) {
        lens = new Uint8Array(320);
        for (i = 0; i < 288; i++) lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        for (; i < 320; i++) lens[i] = 5;
        lit = table(lens.subarray(0, 288)); dist = table(lens.subarray(288));
      } else if (type === 2) {
        var hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4, cl = new Uint8Array(19);
        for (i = 0; i < hclen; i++) cl[CLORDER[i]] = bits(3);
        var ct = table(cl);
        lens = new Uint8Array(hlit + hdist);
        for (i = 0; i < hlit + hdist;) {
          var sy = symbol(ct), repeat, value = 0;
          if (sy < 16) { lens[i++] = sy; continue; }
          if (sy === 16) { if (!i) throw new Error("inflate: bad lengths"); value = lens[i - 1]; repeat = 3 + bits(2); }
          else repeat = sy === 17 ? 3 + bits(3) : 11 + bits(7);
          if (i + repeat > lens.length) throw new Error("inflate: bad lengths");
          while (repeat--) lens[i++] = value;
        }
        lit = table(lens.subarray(0, hlit)); dist = table(lens.subarray(hlit));
      } else throw new Error("inflate: bad block");
      for (;;) {
        var s = symbol(lit);
        if (s < 256) { put(s); continue; }
        if (s === 256) break;
        s -= 257;
        if (s >= 29) throw new Error("inflate: bad length");
        var count = LBASE[s] + bits(LEXT[s]), ds = symbol(dist), back = DBASE[ds] + bits(DEXT[ds]);
        if (ds >= 30 || back > n) throw new Error("inflate: bad distance");
        for (i = 0; i < count; i++) put(out[n - back]);
      }
    } while (!last);
    return out.subarray(0, n);
  }
  win.zhikuInflate = inflate;

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

  // ---- The query parser: the same as src/search/query.rs ----
  // Terms a page must hold, each with its forms (other spellings,
  // synonyms); a citation's first form is the article's index term.
  var FILLER = ["多长时间", "有没有", "是不是", "为什么", "怎么样", "有哪些", "如何", "怎么", "怎样", "多少",
    "哪些", "哪个", "哪里", "什么", "是否", "能否", "可否", "为何", "多久", "几次", "几个", "请问",
    "应该", "需要", "可以"];
  var JOINERS = "的和与及或", PARTICLES = "吗呢吧啊", NUMERALS = "〇零一二两三四五六七八九十百千万", MAX_FORMS = 4;
  var QUOTES = { "\"": "\"", "“": "”", "「": "」", "『": "』" };
  function cjkChar(c) { return !!c && isCJK(c.codePointAt(0)); }
  function compactOf(s) { return Array.from(s).filter(function (c) { return cjkChar(c) || WORD.test(c); }).join(""); }
  function exact(toks) { toks.forEach(function (t) { t.p = false; }); return toks; }
  // Chinese or Arabic numerals, as src/markdown/numerals.rs reads them.
  function numeral(s) {
    if (/^[0-9]+$/.test(s)) { var v = parseInt(s, 10); return v > 0 && v <= 4294967295 ? v : null; }
    var D = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
    var U = { "十": 10, "百": 100, "千": 1000, "万": 10000 }, cs = Array.from(s), i, c;
    if (!cs.length) return null;
    if (cs.length > 1 && cs.every(function (x) { return x in D; })) {
      var n = 0;
      for (i = 0; i < cs.length; i++) n = n * 10 + D[cs[i]];
      return n > 0 ? n : null;
    }
    var total = 0, section = 0, pending = null, last = Infinity;
    for (i = 0; i < cs.length; i++) {
      c = cs[i];
      if (c in D) {
        if (pending !== null && D[c] !== 0) return null;
        pending = D[c] === 0 ? null : D[c];
      } else if (c in U) {
        var u = U[c];
        if (u === 10000) {
          section += pending || 0; pending = null;
          if (!section) return null;
          total = section * 10000; section = 0; last = Infinity;
          continue;
        }
        if (u >= last) return null;
        var d = pending !== null ? pending : u === 10 ? 1 : null;
        if (d === null) return null;
        pending = null; section += d * u; last = u;
      } else return null;
    }
    var r = total + section + (pending || 0);
    return r > 0 ? r : null;
  }
  function chineseNumber(n) {
    var DIG = "零一二三四五六七八九", out = "", zero = false;
    if (n <= 0 || n >= 10000) return String(n);
    [[1000, "千"], [100, "百"], [10, "十"], [1, ""]].forEach(function (p) {
      var d = Math.floor(n / p[0]) % 10;
      if (!d) { zero = out !== ""; return; }
      if (zero) { out += "零"; zero = false; }
      if (!(p[0] === 10 && d === 1 && out === "")) out += DIG[d];
      out += p[1];
    });
    return out;
  }
  function articleTerm(n, ins) { return "第" + n + "条" + (ins ? "之" + ins : ""); }
  function articleId(n, ins) { return "第" + chineseNumber(n) + "条" + (ins ? "之" + chineseNumber(ins) : ""); }
  function readNumeral(cs, i, chinese) {
    var j = i;
    while (j < cs.length && /[0-9]/.test(cs[j])) j++;
    if (j === i && chinese) while (j < cs.length && NUMERALS.indexOf(cs[j]) >= 0) j++;
    var v = numeral(cs.slice(i, j).join(""));
    return v === null ? null : [v, j];
  }
  function skipSpaces(cs, i) { while (i < cs.length && /\s/.test(cs[i])) i++; return i; }
  function citationAt(cs, i) {
    var j = i, di = cs[j] === "第";
    if (di) j = skipSpaces(cs, j + 1);
    var num = readNumeral(cs, j, di);
    if (!num) return null;
    j = skipSpaces(cs, num[1]);
    if (cs[j] !== "条") return null;
    j++;
    var ins = 0, m;
    if (cs[j] === "之" && (m = readNumeral(cs, j + 1, true))) { ins = m[0]; j = m[1]; }
    return { n: num[0], ins: ins, end: j };
  }
  function form(text, toks) { return { text: text, tokens: toks }; }
  function articleTermOf(c, written) {
    var forms = [form(articleTerm(c.n, c.ins), [{ t: articleTerm(c.n, c.ins), p: false, g: [1] }])];
    [articleId(c.n, c.ins), compactOf(written)].forEach(function (lit) {
      if (forms.slice(1).every(function (f) { return f.text !== lit; })) forms.push(form(lit, exact(queryTokens(lit))));
    });
    return { kind: "a", forms: forms };
  }
  function splitFiller(chunk) {
    var cs = Array.from(chunk), out = [], cur = "", i = 0, k;
    function cjkBefore(s) { var a = Array.from(s), n = 0; while (n < a.length && cjkChar(a[a.length - 1 - n])) n++; return n; }
    function cjkAfter(j) { var n = 0; while (j + n < cs.length && cjkChar(cs[j + n])) n++; return n; }
    outer: while (i < cs.length) {
      for (k = 0; k < FILLER.length; k++) {
        var w = Array.from(FILLER[k]);
        if (cs.slice(i, i + w.length).join("") === FILLER[k]) { out.push(cur); cur = ""; i += w.length; continue outer; }
      }
      if (JOINERS.indexOf(cs[i]) >= 0 && cjkBefore(cur) >= 2 && cjkAfter(i + 1) >= 2) { out.push(cur); cur = ""; i++; continue; }
      cur += cs[i++];
    }
    out.push(cur);
    for (k = out.length - 1; k >= 0; k--) {
      if (!out[k]) continue;
      var t = Array.from(out[k]);
      while (t.length > 1 && PARTICLES.indexOf(t[t.length - 1]) >= 0) t.pop();
      out[k] = t.join("");
      break;
    }
    out = out.filter(function (p) { return queryTokens(p).length; });
    return out.length ? out : [chunk];
  }
  function withSynonyms(term) {
    var own = term.forms[0].text;
    (meta.synonyms || []).forEach(function (group) {
      var word = null;
      for (var i = 0; i < group.length && word === null; i++) if (own.indexOf(group[i]) >= 0) word = group[i];
      if (word === null) return;
      group.forEach(function (other) {
        if (other === word) return;
        var text = own.replace(word, other);
        if (term.forms.length < MAX_FORMS && term.forms.every(function (f) { return f.text !== text; }))
          term.forms.push(form(text, exact(queryTokens(text))));
      });
    });
    return term;
  }
  // `norm` is normalised text.
  function parse(norm) {
    var terms = [], plain = "", rest = norm;
    function words(text) {
      text.split(/[\s,;、。?!]/u).forEach(function (chunk) {
        splitFiller(chunk).forEach(function (piece) {
          var toks = queryTokens(piece);
          if (toks.length) terms.push(withSynonyms({ kind: "w", forms: [form(compactOf(piece), toks)] }));
        });
      });
    }
    function plainPart(text) {
      var cs = Array.from(text), i = 0, buf = "", c;
      while (i < cs.length) {
        var after = i > 0 && /[0-9a-z]/i.test(cs[i - 1]);
        if (!after && (c = citationAt(cs, i))) {
          words(buf); buf = "";
          terms.push(articleTermOf(c, cs.slice(i, c.end).join("")));
          i = c.end;
        } else buf += cs[i++];
      }
      words(buf);
    }
    for (;;) {
      var at = -1, open = null, cs = Array.from(rest), off = 0;
      for (var i = 0; i < cs.length; off += cs[i].length, i++) if (QUOTES[cs[i]]) { at = off; open = cs[i]; break; }
      if (at < 0) break;
      plain += rest.slice(0, at);
      var after = rest.slice(at + open.length), end = after.indexOf(QUOTES[open]);
      if (end < 0) { plain += " "; rest = after; continue; }
      plainPart(plain); plain = "";
      var toks = exact(queryTokens(after.slice(0, end)));
      if (toks.length) terms.push({ kind: "p", forms: [form(compactOf(after.slice(0, end)), toks)] });
      rest = after.slice(end + QUOTES[open].length);
    }
    plainPart(plain + rest);
    var last = terms.length - 1;
    terms.forEach(function (term, i) {
      term.forms.forEach(function (f, fi) {
        var keep = i === last && fi === 0 && term.kind === "w";
        f.tokens.forEach(function (t) { if (!keep && t.p && !(Array.from(t.t).length === 1 && cjkChar(t.t))) t.p = false; });
      });
    });
    return terms;
  }
  function describe(terms) {
    return terms.map(function (term) {
      return term.kind + ": " + term.forms.map(function (f) {
        return f.tokens.map(function (t) { return t.t + (t.p ? "*" : ""); }).join(" ");
      }).join(" | ");
    });
  }

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

  // ---- Phrases and snippets ----
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

  // ---- Shared UI ----
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function hrefOf(g, hit) { return ROOT + g.url + (hit.anchor ? "#" + hit.anchor : ""); }
  function pageHref(q) { return ROOT + "search/index.html?q=" + encodeURIComponent(q); }
  function kindLabel(kind) { return (meta.kinds || {})[kind] || kind; }
  // Fills a result's parts: [kind badge holder, title, label, snippet].
  function fill(parts, g, hl, width) {
    var h = shownHit(g, hl);
    parts[0].appendChild(el("span", "badge kind kind-" + g.kind, kindLabel(g.kind)));
    snippet(parts[1], g.title, hl, 1e9);
    parts[2].textContent = h.label || "";
    snippet(parts[3], textOf(h.uid, hl), hl, width);
    return h;
  }
  function oneChar(qt) { return qt.length === 1 && qt[0].p && Array.from(qt[0].t).length === 1 && isCJK(qt[0].t.codePointAt(0)); }
  function hintFor(qt) { return oneChar(qt) ? "只输入了一个字，结果会比较宽泛；输入两个或更多字能找得更准。" : ""; }
  function nothing(q) { return "没有找到与“" + q.trim() + "”相关的内容；可以试试更短的词，或换个说法。"; }
  // Said above partial matches.
  function partialLine(q) { return "没有完全匹配“" + q.trim() + "”的结果，以下是部分匹配"; }
  // A citation (第十条, 党章第31条): Enter opens the cited article.
  function cites(res) { return res.terms.some(function (t) { return t.kind === "a"; }) && res.pages.length && res.pages[0].best.cited; }
  var BROKEN = "搜索索引不可用：网站的 search 文件夹缺失或不完整。";
  // Runs `fn` once typing pauses for `ms`; not for the pinyin an input
  // method shows while composing, only for what it commits.
  function onTyping(box, fn, ms) {
    var t;
    function later(e) { if (!e.isComposing) { clearTimeout(t); t = setTimeout(fn, ms); } }
    box.addEventListener("input", later);
    box.addEventListener("compositionend", later);
  }

  // ---- The header box: results as you type ----
  function dropdown(box) {
    var form = box.form, seq = 0, active = -1, options = [], lastQ = null, styled = Promise.resolve(), shownRes = null;
    if (!INLINE && !doc.querySelector("link[href$='assets/search.css']")) {
      var css = el("link");
      css.rel = "stylesheet"; css.href = ROOT + "assets/search.css";
      styled = new Promise(function (done) { css.onload = css.onerror = done; });
      doc.head.appendChild(css);
    }
    var panel = el("div", "search-panel"), msg = el("p", "search-message"), list = el("div", "search-options");
    var more = el("a", "search-more"), live = el("p", "visually-hidden");
    panel.id = "search-panel"; panel.hidden = true;
    list.id = "search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索结果");
    live.setAttribute("role", "status");
    [msg, list, more].forEach(function (e) { panel.appendChild(e); });
    form.appendChild(panel);
    form.appendChild(live);
    [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"], ["aria-controls", "search-results"]]
      .forEach(function (a) { box.setAttribute(a[0], a[1]); });

    function open(show) {
      panel.hidden = !show;
      box.setAttribute("aria-expanded", show && !list.hidden ? "true" : "false");
      if (!show) select(-1);
    }
    function select(i) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        box.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else box.removeAttribute("aria-activedescendant");
    }
    function message(text, hint, query) {
      msg.textContent = text;
      msg.hidden = !text;
      if (hint) msg.appendChild(el("span", "search-hint", hint));
      if (query != null) {
        select(-1);
        options = []; list.textContent = ""; list.hidden = more.hidden = true;
        live.textContent = text;
        panel.setAttribute("data-query", query);
        open(true);
      }
    }
    function show(res) {
      if (!res.pages.length) return message(nothing(res.query, res.tokens), hintFor(res.tokens), res.query);
      var top = res.pages.slice(0, SHOWN);
      return Promise.resolve().then(function () {
        select(-1);
        options = [];
        list.textContent = "";
        top.forEach(function (g, i) {
          var a = el("a", "search-option"), parts = [el("span", "search-option-head"), el("span", "search-option-title"),
            el("span", "search-option-label"), el("span", "search-option-snippet")];
          a.id = "search-option-" + i;
          a.tabIndex = -1;
          a.setAttribute("role", "option");
          a.setAttribute("aria-selected", "false");
          fill(parts, g, res.hl, 64);
          a.href = hrefOf(g, g.best);
          parts[0].appendChild(parts[1]);
          a.appendChild(parts[0]);
          if (parts[2].textContent) a.appendChild(parts[2]);
          a.appendChild(parts[3]);
          list.appendChild(a);
          options.push(a);
        });
        message(res.partial ? partialLine(res.query) : hintFor(res.tokens));
        shownRes = res;
        list.hidden = false;
        more.textContent = "查看全部结果" + (res.complete ? "（" + res.pages.length + " 个页面）" : "");
        more.href = pageHref(res.query);
        // No search page in the single-file edition.
        more.hidden = !!INLINE;
        more.hidden = false;
        live.textContent = "找到" + (res.complete ? " " + res.pages.length + " 个" : "多个") + "页面，用上下方向键选择";
        panel.setAttribute("data-query", res.query);
        open(true);
      });
    }
    function run() {
      var q = box.value, mine = ++seq, settled = false;
      if (q === lastQ && options.length) return open(doc.activeElement === box);
      lastQ = q;
      if (!q.trim()) { options = []; list.textContent = ""; return open(false); }
      if (!meta) styled.then(function () {
        if (mine === seq && !settled) { message("正在载入搜索索引…"); list.hidden = more.hidden = true; open(true); }
      });
      function after(fn) { return function (x) { return styled.then(function () { settled = true; if (mine === seq) return fn(x); }); }; }
      search(q, BOX_FILES).then(after(show), after(function () { message(BROKEN, "", q); }));
    }
    onTyping(box, run, 120);
    box.addEventListener("focus", function () { if (box.value.trim()) run(); });
    box.addEventListener("keydown", function (e) {
      var key = e.key, n = options.length;
      if (e.isComposing || e.keyCode === 229) return;
      if (key === "ArrowDown" || key === "Down") {
        e.preventDefault();
        if (panel.hidden) { if (box.value.trim()) run(); } else if (n) select(active + 1 < n ? active + 1 : 0);
      } else if ((key === "ArrowUp" || key === "Up") && !panel.hidden && n) {
        e.preventDefault();
        select(active > 0 ? active - 1 : active === 0 ? -1 : n - 1);
      } else if (key === "Enter") {
        // The chosen result, else the full search page.
        e.preventDefault();
        if (options[active] && !panel.hidden) win.location.href = options[active].href;
        else if (options[0] && shownRes && shownRes.query === box.value && cites(shownRes)) win.location.href = options[0].href;
        else if (box.value.trim()) win.location.href = pageHref(box.value);
      } else if ((key === "Escape" || key === "Esc") && !panel.hidden) {
        e.preventDefault();
        open(false);
        box.focus();
      }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (box.value.trim()) win.location.href = pageHref(box.value);
    });
    // Clicking a result keeps the focus in the box; leaving the form closes it.
    [list, more].forEach(function (e) { e.addEventListener("mousedown", function (ev) { ev.preventDefault(); }); });
    form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });
    doc.addEventListener("mousedown", function (e) { if (!form.contains(e.target)) open(false); });
    list.addEventListener("mousemove", function (e) {
      var i = options.indexOf(e.target.closest(".search-option"));
      if (i >= 0 && i !== active) select(i);
    });
    if (box.value.trim() && doc.activeElement === box) run();
  }

  // ---- The search page: search/index.html?q=…&kind=…&tag=…&p=… ----
  function searchPage(form, box) {
    var status = doc.getElementById("search-status"), results = doc.getElementById("search-results");
    var filters = doc.getElementById("search-filters"), pager = doc.getElementById("search-pager");
    var url = new URLSearchParams(win.location.search), seq = 0, res = null, budget = 32;
    var state = { q: url.get("q") || "", kind: url.get("kind") || "", tag: url.get("tag") || "", p: Math.max(1, parseInt(url.get("p"), 10) || 1) };
    box.value = state.q;
    function remember() {
      var u = new URLSearchParams();
      ["q", "kind", "tag", "p"].forEach(function (k) { if (state[k] && (k !== "p" || state.p > 1)) u.set(k, state[k]); });
      try { win.history.replaceState(null, "", "?" + u); } catch (e) { /* file:// may refuse */ }
    }
    function say(text, hint) {
      status.textContent = text;
      if (hint) status.appendChild(el("span", "search-hint", hint));
    }
    function clear(text, hint) {
      results.textContent = "";
      filters.hidden = pager.hidden = true;
      say(text, hint);
      return Promise.resolve();
    }
    function run() {
      var mine = ++seq;
      remember();
      if (!state.q.trim()) return clear("输入关键词，搜索本站的条例、清单和案例。");
      say("正在搜索…");
      // The page map makes counts and filters exact on a large site; a
      // site without it still searches (counting what was loaded).
      ready().then(function () { return load("pagemap", 0).catch(function () {}); })
        .then(function () { return search(state.q, budget, { kind: state.kind, tag: state.tag }); })
        .then(function (r) { if (mine === seq) { res = r; return render(); } },
          function () { if (mine === seq) clear(BROKEN); });
    }
    function tagsOf(g) { return g.tags.map(function (t) { return (meta.tags || [])[t]; }); }
    function render() {
      var hint = hintFor(res.tokens), kinds = {}, tags = {};
      results.setAttribute("data-query", res.query);
      if (!res.pages.length) return clear(nothing(res.query, res.tokens), hint);
      results.removeAttribute("data-query");
      var F = res.facets;
      var byTag = res.pages.filter(function (g) { return !state.tag || tagsOf(g).indexOf(state.tag) >= 0; });
      var shown = byTag.filter(function (g) { return !state.kind || g.kind === state.kind; });
      if (F) {
        kinds = F.kinds; tags = F.tags;
      } else {
        byTag.forEach(function (g) { kinds[g.kind] = (kinds[g.kind] || 0) + 1; });
        res.pages.forEach(function (g) {
          if (!state.kind || g.kind === state.kind) tagsOf(g).forEach(function (t) { if (t) tags[t] = (tags[t] || 0) + 1; });
        });
      }
      var allKinds = Object.keys(kinds).reduce(function (n, k) { return n + kinds[k]; }, 0);
      drawFilters(F ? allKinds : byTag.length, kinds, tags);
      var found = F ? F.pages : shown.length, before = F ? F.all : res.pages.length;
      var pages = Math.max(1, Math.ceil(shown.length / PER_PAGE));
      state.p = Math.min(state.p, pages);
      remember();
      var slice = shown.slice((state.p - 1) * PER_PAGE, state.p * PER_PAGE);
      var total = (res.partial ? partialLine(res.query) + "。" : "") + "搜索“" + res.query.trim() + "”：找到 " + found + " 个页面，共 " +
        (F ? res.total : shown.reduce(function (n, g) { return n + g.hits.length; }, 0)) + " 处" +
        (found < before ? "（筛选前 " + before + " 个页面）" : "") +
        (found ? "" : "；没有符合筛选条件的结果") +
        (res.complete ? "" : F ? "。为少加载数据，先列出了最相关的 " + shown.length + " 个页面" :
          "。为少加载数据，先列出了最相关的部分（全站共 " + res.total + " 处匹配），筛选也只在其中进行");
      return Promise.resolve().then(function () {
        say(total, hint);
        var ol = el("ol", "search-list");
        ol.start = (state.p - 1) * PER_PAGE + 1;
        slice.forEach(function (g) { ol.appendChild(item(g)); });
        results.textContent = "";
        results.appendChild(ol);
        results.setAttribute("data-query", res.query);
        drawPager(pages);
      });
    }
    function item(g) {
      var li = el("li", "search-item"), h2 = el("h2", "search-item-title"), a = el("a");
      var parts = [el("p", "search-item-meta"), el("span", "search-item-name"), el("span", "search-item-label"), el("p", "search-item-snippet")];
      var shown = fill(parts, g, res.hl, 140);
      a.href = hrefOf(g, g.best);
      a.appendChild(parts[1]);
      h2.appendChild(a);
      if (parts[2].textContent) parts[0].appendChild(parts[2]);
      [h2, parts[0], parts[3]].forEach(function (e) { li.appendChild(e); });
      var others = g.hits.filter(function (h) { return h !== g.best && h !== shown; });
      if (others.length) {
        var more = li.appendChild(el("p", "search-item-more", "本页其他匹配："));
        others.slice(0, 6).forEach(function (hit, i) {
          if (i) more.appendChild(doc.createTextNode("、"));
          more.appendChild(el("a", "", hit.label || "开头")).href = hrefOf(g, hit);
        });
        if (others.length > 6) more.appendChild(doc.createTextNode(" 等 " + others.length + " 处"));
      }
      return li;
    }
    // With the page map, a filter is a new search among every match.
    function refilter() { return res && res.facets ? run() : render(); }
    function drawFilters(all, kinds, tags) {
      var set = el("fieldset", "search-kinds"), order = ["regulation", "checklist", "case", "page"].concat(Object.keys(meta.kinds || {}));
      filters.textContent = "";
      set.appendChild(el("legend", "", "类型"));
      [""].concat(order.filter(function (k, i) { return order.indexOf(k) === i && (kinds[k] || k === state.kind); }))
        .forEach(function (k) {
          var label = set.appendChild(el("label", "search-kind")), input = label.appendChild(el("input"));
          input.type = "radio"; input.name = "kind"; input.value = k; input.checked = state.kind === k;
          input.addEventListener("change", function () { state.kind = k; state.p = 1; refilter(); });
          label.appendChild(doc.createTextNode((k ? kindLabel(k) : "全部") + " " + (k ? kinds[k] || 0 : all)));
        });
      filters.appendChild(set);
      var names = Object.keys(tags).sort(function (a, b) { return tags[b] - tags[a] || (a < b ? -1 : 1); });
      if (state.tag && names.indexOf(state.tag) < 0) names.unshift(state.tag);
      if (names.length) {
        var wrap = filters.appendChild(el("p", "search-tag")), label = wrap.appendChild(el("label", "", "标签"));
        var select = wrap.appendChild(el("select"));
        select.id = label.htmlFor = "search-tag";
        [""].concat(names).forEach(function (t) {
          var o = select.appendChild(el("option", "", t ? t + "（" + (tags[t] || 0) + "）" : "全部标签"));
          o.value = t; o.selected = t === state.tag;
        });
        select.addEventListener("change", function () { state.tag = select.value; state.p = 1; refilter(); });
      }
      filters.hidden = false;
    }
    function drawPager(pages) {
      pager.textContent = "";
      pager.hidden = pages < 2 && res.complete;
      function button(text, off, click) {
        var b = pager.appendChild(el("button", "button", text));
        b.type = "button";
        b.disabled = off;
        b.addEventListener("click", click);
      }
      function go(p) {
        return function () {
          state.p = p;
          render().then(function () { status.focus(); status.scrollIntoView({ block: "start" }); });
        };
      }
      if (pages > 1) {
        button("上一页", state.p < 2, go(state.p - 1));
        pager.appendChild(el("span", "search-page-no", "第 " + state.p + " / " + pages + " 页"));
        button("下一页", state.p >= pages, go(state.p + 1));
      }
      // A large site: the first answer used only some of the index.
      if (!res.complete) button("载入更多匹配的页面", false, function () { budget *= 4; run(); });
    }
    onTyping(box, function () {
      if (box.value !== state.q) { state.q = box.value; state.p = 1; run(); }
    }, 200);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      state.q = box.value; state.p = 1; run();
    });
    run();
  }

  win.zhikuSearch = {
    ready: ready,
    search: search,
    boxFiles: BOX_FILES,
    normalize: normalize,
    tokens: function (text) { return docTokens(normalize(text)).map(function (t, i) { return t.t + "@" + i; }); },
    queryTokens: function (text) { return queryTokens(normalize(text)).map(function (t) { return t.t + (t.p ? "*" : ""); }); },
    parse: function (text) { return describe(parse(normalize(text))); },
    // How many units hold an index term, read from the file it is in.
    units: function (term) {
      var tok = { t: term, p: false };
      return ready().then(function () { return loadTerms(tok); }).then(function (m) { return postings(tok, m).u.length; });
    },
    prepare: prepare
  };
  var box = doc.getElementById("search-box"), pageForm = doc.querySelector("[data-search-page]");
  if (box && pageForm) searchPage(pageForm, box);
  else if (box && box.form) dropdown(box);
})();
