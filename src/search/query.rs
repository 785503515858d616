//! The query parser: what a member typed → the terms a page must hold.
//! Written twice, here (for the build's self-check) and in the theme's
//! `search/query.js` (for the page, shipped in `assets/search.js`);
//! `tests/search/queries.json` holds the
//! shared vectors both must reproduce (docs/search-format.md, "Queries").
//!
//! 1. The query is normalised ([`normalize`]).
//! 2. `"…"`, `“…”`, `「…」` and `『…』` are phrases: one term, kept together.
//! 3. Citations — `第31条`, `第 31 条`, `31条`, `第三十一条`, `第5条之一` —
//!    become article terms: the index gives each article the term `第31条`
//!    (Arabic numerals, `之N` for an inserted article); the citation's own
//!    words stay as other forms of the term, so text quoting it matches too.
//!    Numbers are read by the build's own article-number code
//!    ([`crate::markdown::numerals`]).
//! 4. The rest splits at spaces (half- or full-width) and list punctuation
//!    into terms; question words (如何, 怎么, 多少, 哪些, 多长时间 …) split a
//!    term and are dropped, so they never drive the ranking; 的/和/与/及/或
//!    split only between words of two or more characters (目的 stays).
//! 5. Each term gets its synonyms as other forms ([`Synonyms`]).
//!
//! A page matches when it holds every term (any form of it); the exact
//! query still ranks first (the runtime's phrase check).

use super::normalize::{QueryToken, is_cjk, normalize, query_tokens};
use super::synonyms::Synonyms;
use crate::markdown::ArticleRef;
use crate::markdown::numerals;

/// What a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Words typed as they are.
    Words,
    /// A quoted phrase.
    Phrase,
    /// An article citation: the first form is the article term.
    Article,
}

/// One way to write a term, as tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The form's text, normalised.
    pub text: String,
    /// Its tokens; all of them must be in one unit.
    pub tokens: Vec<QueryToken>,
}

/// A term of a query: a unit matches it when it holds any of its forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Words, phrase or citation.
    pub kind: TermKind,
    /// The forms: the term as typed (for a citation, the article term)
    /// first, then other spellings and synonyms.
    pub forms: Vec<Form>,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The terms, in the order typed.
    pub terms: Vec<Term>,
}

/// Question words and phrasing that say what the member asks, not what
/// the text holds. Longest first where one contains another.
pub const FILLER: &[&str] = &[
    "多长时间",
    "有没有",
    "是不是",
    "为什么",
    "怎么样",
    "有哪些",
    "如何",
    "怎么",
    "怎样",
    "多少",
    "哪些",
    "哪个",
    "哪里",
    "什么",
    "是否",
    "能否",
    "可否",
    "为何",
    "多久",
    "几次",
    "几个",
    "请问",
    "应该",
    "需要",
    "可以",
];
/// Words that join two others; they split a term only between words of
/// two or more characters.
const JOINERS: &[char] = &['的', '和', '与', '及', '或'];
/// Particles that end a question.
const PARTICLES: &[char] = &['吗', '呢', '吧', '啊'];
/// Characters of Chinese numerals.
const NUMERAL_CHARS: &str = "〇零一二两三四五六七八九十百千万";
/// At most this many forms a term (each costs index files to load).
pub const MAX_FORMS: usize = 4;

/// The index term of an article: `第31条`, `第5条之1`. Text never yields
/// such a term (CJK and digits are never one token), so it cannot collide.
pub fn article_term(r: ArticleRef) -> String {
    if r.insert > 0 {
        format!("第{}条之{}", r.number, r.insert)
    } else {
        format!("第{}条", r.number)
    }
}

/// Parses `text` (see the module doc).
pub fn parse(text: &str, synonyms: &Synonyms) -> Query {
    let norm = normalize(text);
    let mut terms = Vec::new();
    for segment in quoted(&norm) {
        match segment {
            Segment::Phrase(p) => {
                let tokens = exact(query_tokens(&p));
                if !tokens.is_empty() {
                    terms.push(Term {
                        kind: TermKind::Phrase,
                        forms: vec![Form {
                            text: compact(&p),
                            tokens,
                        }],
                    });
                }
            }
            Segment::Plain(plain) => {
                for piece in citations(&plain) {
                    match piece {
                        Piece::Article(r, written) => terms.push(article(r, &written)),
                        Piece::Plain(words) => terms.extend(
                            words_terms(&words)
                                .into_iter()
                                .map(|t| with_synonyms(t, synonyms)),
                        ),
                    }
                }
            }
        }
    }
    // Only the query's last word is a prefix (typing `ap` finds `app`).
    let last = terms.len().saturating_sub(1);
    for (i, term) in terms.iter_mut().enumerate() {
        for (f, form) in term.forms.iter_mut().enumerate() {
            let keep = i == last && f == 0 && term.kind == TermKind::Words;
            for t in &mut form.tokens {
                if !keep && t.prefix && !is_one_cjk(&t.term) {
                    t.prefix = false;
                }
            }
        }
    }
    Query { terms }
}

fn is_one_cjk(term: &str) -> bool {
    let mut chars = term.chars();
    chars.next().is_some_and(is_cjk) && chars.next().is_none()
}

/// Tokens with no prefix matching at all (phrases and citation text).
fn exact(mut tokens: Vec<QueryToken>) -> Vec<QueryToken> {
    for t in &mut tokens {
        t.prefix = false;
    }
    tokens
}

/// Normalised text without spaces or punctuation: how terms and synonyms
/// compare.
pub(crate) fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| is_cjk(*c) || c.is_alphanumeric())
        .collect()
}

enum Segment {
    Phrase(String),
    Plain(String),
}

/// Splits off quoted phrases; an unclosed quote is only a separator.
fn quoted(norm: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = norm;
    while let Some((at, open)) = rest.char_indices().find(|(_, c)| closing(*c).is_some()) {
        plain.push_str(&rest[..at]);
        let after = &rest[at + open.len_utf8()..];
        let close = closing(open).unwrap_or('"');
        match after.find(close) {
            Some(end) => {
                out.push(Segment::Plain(std::mem::take(&mut plain)));
                out.push(Segment::Phrase(after[..end].to_string()));
                rest = &after[end + close.len_utf8()..];
            }
            None => {
                plain.push(' ');
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    out.push(Segment::Plain(plain));
    out
}

fn closing(open: char) -> Option<char> {
    Some(match open {
        '"' => '"',
        '“' => '”',
        '「' => '」',
        '『' => '』',
        _ => return None,
    })
}

enum Piece {
    Article(ArticleRef, String),
    Plain(String),
}

/// Splits out article citations.
fn citations(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let after_word = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        if let Some((r, end)) = citation_at(&chars, i).filter(|_| !after_word) {
            out.push(Piece::Plain(std::mem::take(&mut plain)));
            out.push(Piece::Article(r, chars[i..end].iter().collect()));
            i = end;
        } else {
            plain.push(chars[i]);
            i += 1;
        }
    }
    out.push(Piece::Plain(plain));
    out
}

/// A citation starting at `i`: `第 N 条[之M]`, or `N条` with Arabic N.
fn citation_at(chars: &[char], i: usize) -> Option<(ArticleRef, usize)> {
    let mut j = i;
    let di = chars[j] == '第';
    if di {
        j += 1;
        j = skip_spaces(chars, j);
    }
    let (number, after) = numeral(chars, j, di)?;
    j = skip_spaces(chars, after);
    if chars.get(j) != Some(&'条') {
        return None;
    }
    j += 1;
    let mut insert = 0;
    if chars.get(j) == Some(&'之')
        && let Some((n, after)) = numeral(chars, j + 1, true)
    {
        insert = n;
        j = after;
    }
    Some((ArticleRef { number, insert }, j))
}

/// A run of Arabic digits, or (if `chinese`) of Chinese numerals, at `i`.
fn numeral(chars: &[char], i: usize, chinese: bool) -> Option<(u32, usize)> {
    let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let run = if digits > 0 {
        digits
    } else if chinese {
        chars[i..]
            .iter()
            .take_while(|c| NUMERAL_CHARS.contains(**c))
            .count()
    } else {
        0
    };
    let text: String = chars[i..i + run].iter().collect();
    numerals::parse(&text).map(|n| (n, i + run))
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// A citation's term: the article term, then the citation in canonical
/// Chinese numerals, then as written.
fn article(r: ArticleRef, written: &str) -> Term {
    let mut forms = vec![Form {
        text: article_term(r),
        tokens: vec![QueryToken {
            term: article_term(r),
            prefix: false,
        }],
    }];
    for literal in [r.id(), compact(written)] {
        if forms[1..].iter().all(|f| f.text != literal) {
            forms.push(Form {
                tokens: exact(query_tokens(&literal)),
                text: literal,
            });
        }
    }
    Term {
        kind: TermKind::Article,
        forms,
    }
}

/// Plain words: split at spaces and list punctuation, then at question
/// words.
fn words_terms(text: &str) -> Vec<Term> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '、' | '。' | '?' | '!'))
        .flat_map(split_filler)
        .filter_map(|piece| {
            let tokens = query_tokens(&piece);
            (!tokens.is_empty()).then(|| Term {
                kind: TermKind::Words,
                forms: vec![Form {
                    text: compact(&piece),
                    tokens,
                }],
            })
        })
        .collect()
}

/// Splits a chunk at question words and joiners; a chunk that is nothing
/// but those stays whole.
fn split_filler(chunk: &str) -> Vec<String> {
    let chars: Vec<char> = chunk.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(w) = FILLER.iter().find(|w| starts_with(&chars[i..], w)) {
            out.push(std::mem::take(&mut current));
            i += w.chars().count();
            continue;
        }
        let c = chars[i];
        if JOINERS.contains(&c) && cjk_before(&current) >= 2 && cjk_after(&chars, i + 1) >= 2 {
            out.push(std::mem::take(&mut current));
            i += 1;
            continue;
        }
        current.push(c);
        i += 1;
    }
    out.push(current);
    if let Some(last) = out.iter_mut().rev().find(|p| !p.is_empty()) {
        let mut trimmed: Vec<char> = last.chars().collect();
        while trimmed.len() > 1 && trimmed.last().is_some_and(|c| PARTICLES.contains(c)) {
            trimmed.pop();
        }
        *last = trimmed.into_iter().collect();
    }
    out.retain(|p| !query_tokens(p).is_empty());
    if out.is_empty() {
        vec![chunk.to_string()]
    } else {
        out
    }
}

fn starts_with(chars: &[char], word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(n, w)| chars.get(n) == Some(&w))
}

fn cjk_before(text: &str) -> usize {
    text.chars().rev().take_while(|c| is_cjk(*c)).count()
}

fn cjk_after(chars: &[char], i: usize) -> usize {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| is_cjk(**c))
        .count()
}

/// Adds the term's synonyms as other forms: for each group with a word in
/// the term (longest word first, one word a group), the term with that word
/// replaced by each other word of the group.
fn with_synonyms(mut term: Term, synonyms: &Synonyms) -> Term {
    let own = term.forms[0].text.clone();
    for group in &synonyms.groups {
        let Some(word) = group.iter().find(|w| own.contains(w.as_str())) else {
            continue;
        };
        for other in group.iter().filter(|o| *o != word) {
            let text = own.replacen(word.as_str(), other, 1);
            if term.forms.len() < MAX_FORMS && term.forms.iter().all(|f| f.text != text) {
                term.forms.push(Form {
                    tokens: exact(query_tokens(&text)),
                    text,
                });
            }
        }
    }
    term
}

impl Query {
    /// Every term as one line: `w:`, `p:` or `a:` (words, phrase,
    /// article), then each form's tokens (`*` marks a prefix), forms
    /// separated by ` | `. The shared vectors compare these.
    pub fn describe(&self) -> Vec<String> {
        self.terms
            .iter()
            .map(|t| {
                let kind = match t.kind {
                    TermKind::Words => "w",
                    TermKind::Phrase => "p",
                    TermKind::Article => "a",
                };
                let forms: Vec<String> = t
                    .forms
                    .iter()
                    .map(|f| {
                        f.tokens
                            .iter()
                            .map(|t| format!("{}{}", t.term, if t.prefix { "*" } else { "" }))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                format!("{kind}: {}", forms.join(" | "))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
