//! The search normaliser and tokeniser, Rust half. The JavaScript half in
//! the theme's `search/normalize.js` (shipped in `assets/search.js`) must
//! agree token for token; both are
//! checked against `tests/search/vectors.json` (docs/search-format.md).
//!
//! 1. NFKC (full-width ＡＰＰ → APP, ８ → 8, ideographic space → space),
//! 2. lower case,
//! 3. Traditional → Simplified, character by character ([`crate::fold`]),
//! 4. tokens: CJK runs as overlapping bigrams plus the run's last
//!    character (so every character starts a token), other letters and
//!    digits as words.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a CJK ideograph (the ranges the JS side uses too).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x2_0000..=0x2_FA1F)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Steps 1–3: NFKC, lower case, fold.
///
/// Most text is ASCII and CJK ideographs, which NFKC leaves alone; those are
/// mapped directly and every other character is normalised on its own.
/// That equals normalising the whole string except where characters
/// combine (combining marks, Hangul jamo) or lower case depends on context
/// (final Σ): text with any of those takes the whole-string path.
pub fn normalize(text: &str) -> String {
    if text.chars().any(needs_whole_string) {
        let nfkc: String = text.nfkc().collect();
        return crate::fold::fold(&nfkc.to_lowercase());
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
            out.push(crate::fold::fold_char(c));
        } else {
            for d in std::iter::once(c).nfkc() {
                out.extend(d.to_lowercase().map(crate::fold::fold_char));
            }
        }
    }
    out
}

fn needs_whole_string(c: char) -> bool {
    !c.is_ascii()
        && (unicode_normalization::char::is_combining_mark(c)
            || matches!(c, 'Σ' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}'))
}

/// A token of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryToken {
    /// The normalised term.
    pub term: String,
    /// Matches every term that starts with it.
    pub prefix: bool,
}

/// Document mode: every token with its position, from already normalised
/// text. `emit(term, position)` is called in order.
pub fn scan(normalized: &str, mut emit: impl FnMut(&str, u32)) {
    let mut pos = 0u32;
    let mut chars = normalized.char_indices().peekable();
    let mut pair = String::with_capacity(8);
    while let Some((start, c)) = chars.next() {
        if is_cjk(c) {
            let mut prev = c;
            let mut prev_start = start;
            while let Some(&(i, next)) = chars.peek() {
                if !is_cjk(next) {
                    break;
                }
                pair.clear();
                pair.push(prev);
                pair.push(next);
                emit(&pair, pos);
                pos += 1;
                prev = next;
                prev_start = i;
                chars.next();
            }
            emit(&normalized[prev_start..prev_start + prev.len_utf8()], pos);
            pos += 1;
        } else if is_word(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                if !is_word(next) {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
            emit(&normalized[start..end], pos);
            pos += 1;
        }
    }
}

/// Document mode on raw text: normalises, then tokens with positions.
pub fn tokens(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    scan(&normalize(text), |t, p| out.push((t.to_string(), p)));
    out
}

/// Query mode: a CJK run of two or more characters gives its bigrams only;
/// a one-character run is a prefix token; the last token, if a word, is a
/// prefix token (typing `ap` finds `app`).
pub fn query_tokens(text: &str) -> Vec<QueryToken> {
    let normalized = normalize(text);
    let mut out: Vec<QueryToken> = Vec::new();
    let mut chars = normalized.chars().peekable();
    let mut last_is_word = false;
    while let Some(c) = chars.next() {
        if is_cjk(c) {
            let mut run = vec![c];
            while let Some(&next) = chars.peek().filter(|n| is_cjk(**n)) {
                run.push(next);
                chars.next();
            }
            if run.len() == 1 {
                out.push(QueryToken {
                    term: c.to_string(),
                    prefix: true,
                });
            } else {
                out.extend(run.windows(2).map(|w| QueryToken {
                    term: w.iter().collect(),
                    prefix: false,
                }));
            }
            last_is_word = false;
        } else if is_word(c) {
            let mut word = String::from(c);
            while let Some(&next) = chars.peek().filter(|n| is_word(**n)) {
                word.push(next);
                chars.next();
            }
            out.push(QueryToken {
                term: word,
                prefix: false,
            });
            last_is_word = true;
        }
    }
    if last_is_word && let Some(last) = out.last_mut() {
        last.prefix = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_shared_vectors() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/vectors.json");
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let list = vectors["vectors"].as_array().unwrap();
        assert!(list.len() >= 10);
        for v in list {
            let input = v["input"].as_str().unwrap();
            let want_tokens: Vec<&str> = v["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let got_tokens: Vec<String> = tokens(input)
                .into_iter()
                .map(|(t, p)| format!("{t}@{p}"))
                .collect();
            assert_eq!(got_tokens, want_tokens, "document tokens of {input:?}");
            let want_query: Vec<&str> = v["query"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let got_query: Vec<String> = query_tokens(input)
                .into_iter()
                .map(|t| {
                    if t.prefix {
                        format!("{}*", t.term)
                    } else {
                        t.term
                    }
                })
                .collect();
            assert_eq!(got_query, want_query, "query tokens of {input:?}");
        }
    }

    #[test]
    fn the_fast_path_equals_whole_string_normalisation() {
        let slow = |t: &str| crate::fold::fold(&t.nfkc().collect::<String>().to_lowercase());
        let samples = [
            "党员ＡＰＰ８＋Ｘ（二〇一八年）第十條　規定…①②㍿ｶﾀｶﾅ",
            "Ｈｅｌｌｏ，Ｗｏｒｌｄ！ ﬁ ẞ Ǆ İstanbul",
            "組織生活會、三会一课；“不忘初心”——《条例》",
            "\u{3000}\u{a0}\u{2002}\u{2003}\t第十条",
        ];
        for s in samples {
            assert_eq!(normalize(s), slow(s), "{s}");
        }
        // Texts that need the whole-string path still agree.
        for s in ["e\u{301}té", "ΟΔΟΣ", "한국어 가"] {
            assert_eq!(normalize(s), slow(s), "{s}");
        }
        // And the sample site's own text.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/regulations");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert_eq!(normalize(&text), slow(&text));
        }
    }

    #[test]
    fn normalises_width_case_and_script() {
        assert_eq!(normalize("ＡＰＰ 黨員"), "app 党员");
        assert_eq!(normalize("第十條\u{3000}"), "第十条 ");
    }
}
