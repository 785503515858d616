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
