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
var LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258],
  LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0],
  DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577],
  DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13],
  CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
// A canonical Huffman code from its code lengths: how many codes of each
// length, and the symbols in code order.
function huffman(lengths) {
  var count = new Uint16Array(16), offs = new Uint16Array(16), sym = new Uint16Array(lengths.length), j;
  for (j = 0; j < lengths.length; j++) count[lengths[j]]++;
  count[0] = 0;
  for (j = 1; j < 16; j++) offs[j] = offs[j - 1] + count[j - 1];
  for (j = 0; j < lengths.length; j++) if (lengths[j]) sym[offs[lengths[j]]++] = j;
  return { count: count, sym: sym };
}
function inflate(src) {
  var out = new Uint8Array(src.length * 4 + 64), n = 0, at = 2, bitBuf = 0, bitCount = 0, last, type, i;
  function bits(k) {
    while (bitCount < k) {
      if (at >= src.length) throw new Error("inflate: truncated");
      bitBuf |= src[at++] << bitCount; bitCount += 8;
    }
    var v = bitBuf & ((1 << k) - 1);
    bitBuf >>>= k; bitCount -= k;
    return v;
  }
  function put(b) {
    if (n === out.length) { var grown = new Uint8Array(n * 2); grown.set(out); out = grown; }
    out[n++] = b;
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
      bitBuf = bitCount = 0;
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
      lit = huffman(lens.subarray(0, 288)); dist = huffman(lens.subarray(288));
    } else if (type === 2) {
      var hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4, cl = new Uint8Array(19);
      for (i = 0; i < hclen; i++) cl[CODE_LENGTH_ORDER[i]] = bits(3);
      var ct = huffman(cl);
      lens = new Uint8Array(hlit + hdist);
      for (i = 0; i < hlit + hdist;) {
        var sy = symbol(ct), repeat, value = 0;
        if (sy < 16) { lens[i++] = sy; continue; }
        if (sy === 16) { if (!i) throw new Error("inflate: bad lengths"); value = lens[i - 1]; repeat = 3 + bits(2); }
        else repeat = sy === 17 ? 3 + bits(3) : 11 + bits(7);
        if (i + repeat > lens.length) throw new Error("inflate: bad lengths");
        while (repeat--) lens[i++] = value;
      }
      lit = huffman(lens.subarray(0, hlit)); dist = huffman(lens.subarray(hlit));
    } else throw new Error("inflate: bad block");
    for (;;) {
      var s = symbol(lit);
      if (s < 256) { put(s); continue; }
      if (s === 256) break;
      s -= 257;
      if (s >= 29) throw new Error("inflate: bad length");
      var count = LENGTH_BASE[s] + bits(LENGTH_EXTRA[s]), ds = symbol(dist), back = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
      if (ds >= 30 || back > n) throw new Error("inflate: bad distance");
      for (i = 0; i < count; i++) put(out[n - back]);
    }
  } while (!last);
  return out.subarray(0, n);
}
// For the browser tests, which check it against DecompressionStream.
win.zhikuInflate = inflate;
