// ---- The query parser: the same as src/search/query.rs ----
// Terms a page must hold, each with its forms (other spellings,
// synonyms); a citation's first form is the article's index term.
// tests/search/queries.json holds the cases both sides must agree on, in
// `describe`'s notation.
var FILLER = ["多长时间", "有没有", "是不是", "为什么", "怎么样", "有哪些", "如何", "怎么", "怎样", "多少",
  "哪些", "哪个", "哪里", "什么", "是否", "能否", "可否", "为何", "多久", "几次", "几个", "请问",
  "应该", "需要", "可以"];
var JOINERS = "的和与及或", PARTICLES = "吗呢吧啊", NUMERALS = "〇零一二两三四五六七八九十百千万", MAX_FORMS = 4;
var QUOTES = { "\"": "\"", "“": "”", "「": "」", "『": "』" };
// Kinds of term: a cited article, words, a quoted phrase.
var ARTICLE = "a", WORDS = "w", PHRASE = "p";
function cjkChar(c) { return !!c && isCJK(c.codePointAt(0)); }
function compactOf(s) { return Array.from(s).filter(function (c) { return cjkChar(c) || WORD.test(c); }).join(""); }
function exact(tokens) { tokens.forEach(function (t) { t.prefix = false; }); return tokens; }

// ---- Numerals and citations ----
var DIGITS = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
var MULTIPLIERS = { "十": 10, "百": 100, "千": 1000, "万": 10000 };
// Chinese or Arabic numerals, as src/markdown/numerals.rs reads them.
function numeral(s) {
  if (/^[0-9]+$/.test(s)) { var v = parseInt(s, 10); return v > 0 && v <= 4294967295 ? v : null; }
  var chars = Array.from(s), i, c;
  if (!chars.length) return null;
  if (chars.length > 1 && chars.every(function (x) { return x in DIGITS; })) {
    var n = 0;
    for (i = 0; i < chars.length; i++) n = n * 10 + DIGITS[chars[i]];
    return n > 0 ? n : null;
  }
  var total = 0, section = 0, pending = null, last = Infinity;
  for (i = 0; i < chars.length; i++) {
    c = chars[i];
    if (c in DIGITS) {
      if (pending !== null && DIGITS[c] !== 0) return null;
      pending = DIGITS[c] === 0 ? null : DIGITS[c];
    } else if (c in MULTIPLIERS) {
      var unit = MULTIPLIERS[c];
      if (unit === 10000) {
        section += pending || 0; pending = null;
        if (!section) return null;
        total = section * 10000; section = 0; last = Infinity;
        continue;
      }
      if (unit >= last) return null;
      var digit = pending !== null ? pending : unit === 10 ? 1 : null;
      if (digit === null) return null;
      pending = null; section += digit * unit; last = unit;
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
function articleTerm(n, inserted) { return "第" + n + "条" + (inserted ? "之" + inserted : ""); }
function articleId(n, inserted) { return "第" + chineseNumber(n) + "条" + (inserted ? "之" + chineseNumber(inserted) : ""); }
// The numeral at chars[i]: [value, index after it], or null.
function readNumeral(chars, i, chinese) {
  var j = i;
  while (j < chars.length && /[0-9]/.test(chars[j])) j++;
  if (j === i && chinese) while (j < chars.length && NUMERALS.indexOf(chars[j]) >= 0) j++;
  var v = numeral(chars.slice(i, j).join(""));
  return v === null ? null : [v, j];
}
function skipSpaces(chars, i) { while (i < chars.length && /\s/.test(chars[i])) i++; return i; }
// A citation at chars[i] (第 N 条, N条, optionally 之M): {number, inserted, end}.
function citationAt(chars, i) {
  var j = i, di = chars[j] === "第";
  if (di) j = skipSpaces(chars, j + 1);
  var num = readNumeral(chars, j, di);
  if (!num) return null;
  j = skipSpaces(chars, num[1]);
  if (chars[j] !== "条") return null;
  j++;
  var inserted = 0, m;
  if (chars[j] === "之" && (m = readNumeral(chars, j + 1, true))) { inserted = m[0]; j = m[1]; }
  return { number: num[0], inserted: inserted, end: j };
}

// ---- Terms and forms ----
function form(text, tokens) { return { text: text, tokens: tokens }; }
// A citation's term: the article's index term, then the citation in
// Chinese numerals and as written.
function articleTermOf(cite, written) {
  var term = articleTerm(cite.number, cite.inserted);
  var forms = [form(term, [{ text: term, prefix: false, gaps: [1] }])];
  [articleId(cite.number, cite.inserted), compactOf(written)].forEach(function (literal) {
    if (forms.slice(1).every(function (f) { return f.text !== literal; })) forms.push(form(literal, exact(queryTokens(literal))));
  });
  return { kind: ARTICLE, forms: forms };
}
// A chunk without its question words, split at joiners between two runs
// of CJK, without particles at its end; the chunk whole if that leaves nothing.
function splitFiller(chunk) {
  var chars = Array.from(chunk), out = [], cur = "", i = 0, k;
  function cjkBefore(s) { var a = Array.from(s), n = 0; while (n < a.length && cjkChar(a[a.length - 1 - n])) n++; return n; }
  function cjkAfter(j) { var n = 0; while (j + n < chars.length && cjkChar(chars[j + n])) n++; return n; }
  outer: while (i < chars.length) {
    for (k = 0; k < FILLER.length; k++) {
      var w = Array.from(FILLER[k]);
      if (chars.slice(i, i + w.length).join("") === FILLER[k]) { out.push(cur); cur = ""; i += w.length; continue outer; }
    }
    if (JOINERS.indexOf(chars[i]) >= 0 && cjkBefore(cur) >= 2 && cjkAfter(i + 1) >= 2) { out.push(cur); cur = ""; i++; continue; }
    cur += chars[i++];
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
// Adds a form for each other word of a synonym group with a word in the term.
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

// ---- Parsing ----
// `norm` is normalised text.
function parse(norm) {
  var terms = [], plain = "", rest = norm;
  for (;;) {
    var at = -1, open = null, chars = Array.from(rest), off = 0;
    for (var i = 0; i < chars.length; off += chars[i].length, i++) if (QUOTES[chars[i]]) { at = off; open = chars[i]; break; }
    if (at < 0) break;
    plain += rest.slice(0, at);
    var after = rest.slice(at + open.length), end = after.indexOf(QUOTES[open]);
    if (end < 0) { plain += " "; rest = after; continue; }
    parseUnquoted(plain, terms); plain = "";
    var tokens = exact(queryTokens(after.slice(0, end)));
    if (tokens.length) terms.push({ kind: PHRASE, forms: [form(compactOf(after.slice(0, end)), tokens)] });
    rest = after.slice(end + QUOTES[open].length);
  }
  parseUnquoted(plain + rest, terms);
  // Only the last term's own form keeps a trailing word as a prefix;
  // one-character CJK tokens stay prefixes.
  var last = terms.length - 1;
  terms.forEach(function (term, i) {
    term.forms.forEach(function (f, fi) {
      var keep = i === last && fi === 0 && term.kind === WORDS;
      f.tokens.forEach(function (t) {
        if (!keep && t.prefix && !(Array.from(t.text).length === 1 && cjkChar(t.text))) t.prefix = false;
      });
    });
  });
  return terms;
}
// Text outside quotes: citations, and words between them.
function parseUnquoted(text, terms) {
  var chars = Array.from(text), i = 0, buf = "", cite;
  while (i < chars.length) {
    var after = i > 0 && /[0-9a-z]/i.test(chars[i - 1]);
    if (!after && (cite = citationAt(chars, i))) {
      parseWords(buf, terms); buf = "";
      terms.push(articleTermOf(cite, chars.slice(i, cite.end).join("")));
      i = cite.end;
    } else buf += chars[i++];
  }
  parseWords(buf, terms);
}
// Words: chunks between separators, pieces between question words.
function parseWords(text, terms) {
  text.split(/[\s,;、。?!]/u).forEach(function (chunk) {
    splitFiller(chunk).forEach(function (piece) {
      var tokens = queryTokens(piece);
      if (tokens.length) terms.push(withSynonyms({ kind: WORDS, forms: [form(compactOf(piece), tokens)] }));
    });
  });
}
// The terms as tests/search/queries.json writes them: `kind: form | form`,
// a prefix token with a trailing `*`.
function describe(terms) {
  return terms.map(function (term) {
    return term.kind + ": " + term.forms.map(function (f) {
      return f.tokens.map(function (t) { return t.text + (t.prefix ? "*" : ""); }).join(" ");
    }).join(" | ");
  });
}
