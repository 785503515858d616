//! Splits a Markdown file into YAML front matter and body, and parses the
//! YAML into typed structs.
//!
//! serde_yaml reports positions inside the YAML block; we add the offset of
//! the opening `---` so every error names the line and column in the file
//! (Hugo #597 and Zola #3277 are what happens otherwise). serde_yaml is
//! archived (0.9.34+deprecated), so it stays behind this module.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::diagnostics::Diagnostic;
use crate::tr;

mod slips;

/// Front matter larger than this is refused before YAML sees it: no real
/// page needs more, and it bounds the parser's time and memory.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// A file split at its front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// How many lines of the file precede `body` (add to a body line to get
    /// the file line).
    pub body_line_offset: usize,
}

/// Why a file could not be split: at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// The line to fix.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do, when we can tell.
    pub hint: Option<String>,
}

impl SplitError {
    fn new(line: usize, message: &str) -> Self {
        Self {
            line,
            message: message.into(),
            hint: None,
        }
    }
}

/// Splits `text` (BOM already removed). The opening `---` must be the first
/// line.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let Some(after_open) = strip_fence_line(text) else {
        let missing = SplitError::new(1, &tr!("front_matter.missing"));
        let first = text.lines().next().unwrap_or("");
        return Err(look_alike_fence(first).map_or(missing, |e| SplitError { line: 1, ..e }));
    };
    let mut offset = text.len() - after_open.len();
    let mut line = 2;
    let mut look_alike = None;
    loop {
        let rest = &text[offset..];
        if rest.is_empty() {
            let unclosed = SplitError::new(1, &tr!("front_matter.not_closed"));
            return Err(look_alike.unwrap_or(unclosed));
        }
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let this_line = rest[..line_end].trim_end_matches(['\n', '\r']);
        if this_line.trim_end() == "---" {
            let yaml = &text[text.len() - after_open.len()..offset];
            return Ok(Split {
                yaml,
                body: &rest[line_end..],
                body_line_offset: line,
            });
        }
        if look_alike.is_none() {
            look_alike = look_alike_fence(this_line).map(|e| SplitError { line, ..e });
        }
        offset += line_end;
        line += 1;
    }
}

fn strip_fence_line(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// A line that looks like a `---` fence but is typed with full-width or
/// look-alike dashes (`———`, `－－－`, `ーーー`), as a Chinese input method
/// gives: an error saying so, its line left for the caller to set.
fn look_alike_fence(line: &str) -> Option<SplitError> {
    const DASHES: [char; 10] = ['—', '–', '―', '－', 'ー', 'ｰ', '一', '─', '━', '﹣'];
    let line = line.trim();
    let (found, other) = line
        .chars()
        .partition::<Vec<char>, _>(|c| DASHES.contains(c));
    if found.is_empty() || other.iter().any(|&c| c != '-') || line.chars().count() < 2 {
        return None;
    }
    Some(SplitError {
        line: 0,
        message: tr!("front_matter.look_alike_fence", line = line),
        hint: Some(tr!("front_matter.look_alike_fence_hint")),
    })
}

/// Parses the YAML of a split file into `T`, mapping error positions to the
/// file. `path` names the file in diagnostics.
pub fn parse<T: DeserializeOwned>(path: &str, yaml: &str) -> Result<T, Diagnostic> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::error(
            path,
            tr!(
                "front_matter.too_big",
                size = yaml.len() / 1024,
                limit = MAX_FRONT_MATTER_BYTES / 1024
            ),
        )
        .at(1, 1)
        .with_hint(tr!("front_matter.too_big_hint")));
    }
    if yaml.trim().is_empty() {
        return Err(Diagnostic::error(path, tr!("front_matter.empty")).at(1, 1));
    }
    // The YAML parser takes time that grows with nesting squared (100,000
    // levels: 20 s) before serde's own depth limit stops it.
    if let Some((line, column)) = too_deep(yaml) {
        return Err(Diagnostic::error(
            path,
            tr!("front_matter.too_deep", levels = MAX_FRONT_MATTER_NESTING),
        )
        // File lines: the YAML starts on line 2, after the opening `---`.
        .at(line + 1, column)
        .with_hint(tr!("front_matter.too_deep_hint")));
    }
    if let Some(slip) = slips::before_parsing(yaml) {
        return Err(slip_diagnostic(path, slip));
    }
    serde_yaml::from_str(yaml).map_err(|e| match slips::after_failure(yaml, is_syntax(&e)) {
        Some(slip) => slip_diagnostic(path, slip),
        None => yaml_diagnostic(path, yaml, &e),
    })
}

/// Whether YAML could not read the text (rather than a value being of
/// the wrong kind, which serde words in a few fixed ways).
fn is_syntax(e: &serde_yaml::Error) -> bool {
    let message = e.to_string();
    ![
        "unknown field",
        "missing field",
        "duplicate field",
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "invalid date",
    ]
    .iter()
    .any(|shape| message.starts_with(shape))
}

fn slip_diagnostic(path: &str, slip: slips::Slip) -> Diagnostic {
    // File lines: the YAML starts on line 2, after the opening `---`.
    Diagnostic::error(path, slip.message)
        .at(slip.line + 1, slip.column)
        .with_hint(slip.hint)
}

/// Lists and maps in front matter may nest this deep, no deeper.
pub const MAX_FRONT_MATTER_NESTING: usize = 32;

/// Where the YAML first nests deeper than [`MAX_FRONT_MATTER_NESTING`]
/// (1-based line and column, of the front matter): `[`/`{` inside each
/// other, or block sequences started on one line (`- - - x`). Quoted text
/// is skipped; an overestimate elsewhere only means a clear error for
/// front matter no page needs.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let mut dashes = 0usize;
        let mut leading = true;
        let mut quote: Option<char> = None;
        for (column, c) in line.chars().enumerate() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '"' | '\'' => quote = Some(c),
                '#' if flow == 0 => break,
                '[' | '{' => flow += 1,
                ']' | '}' => flow = flow.saturating_sub(1),
                '-' if leading => dashes += 1,
                ' ' | '\t' => {}
                _ => leading = false,
            }
            if flow > MAX_FRONT_MATTER_NESTING || dashes > MAX_FRONT_MATTER_NESTING {
                return Some((i + 1, column + 1));
            }
        }
    }
    None
}

/// serde_yaml places errors raised while converting a value (a bad date, an
/// unknown `kind`) at the start of the mapping. When the message quotes the
/// offending value, the line holding that value is far more useful.
fn value_line(yaml: &str, message: &str) -> Option<(usize, usize)> {
    // A key given twice: the second time is the mistake.
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let key = rest.split('`').next()?;
        return key_lines(yaml, key).nth(1).map(|line| (line, 1));
    }
    if !(message.starts_with("invalid date") || message.starts_with("unknown variant")) {
        return None;
    }
    let keys: &[&str] = if message.starts_with("invalid date") {
        &["date", "issued", "effective", "updated"]
    } else {
        &["kind", "status", "sort_by", "page_kind"]
    };
    let value = message.split('`').nth(1).filter(|v| !v.is_empty())?;
    yaml.lines().enumerate().find_map(|(i, line)| {
        let (key, rest) = line.split_once(':')?;
        if !keys.contains(&key.trim()) {
            return None;
        }
        let at = rest.find(value)? + key.len() + 1;
        Some((i + 1, line[..at].chars().count() + 1))
    })
}

/// The 1-based lines of the front matter where top-level `key:` is set.
pub fn key_lines<'y>(yaml: &'y str, key: &'y str) -> impl Iterator<Item = usize> + 'y {
    yaml.lines().enumerate().filter_map(move |(i, line)| {
        let (k, _) = line.split_once(':')?;
        (k.trim_end() == key && !line.starts_with([' ', '\t', '-'])).then_some(i + 1)
    })
}

fn yaml_diagnostic(path: &str, yaml: &str, e: &serde_yaml::Error) -> Diagnostic {
    // serde_yaml appends " at line L column C" to its message; we carry the
    // position as data instead.
    let full = e.to_string();
    let message = plain_words(full.split(" at line ").next().unwrap_or(&full));
    if let Some(opened) = opened(&full) {
        // The YAML block starts on file line 2, after the opening `---`.
        return Diagnostic::error(path, tr!("front_matter.prefix", message = opened.what))
            .at(opened.line + 1, opened.column)
            .with_hint(opened.hint);
    }
    let shown = crate::messages::serde_message(&message);
    let mut d = Diagnostic::error(path, tr!("front_matter.prefix", message = shown));
    d = match (value_line(yaml, &message), e.location()) {
        (Some((line, column)), _) => d.at(line + 1, column),
        (None, Some(loc)) => d.at(loc.line() + 1, loc.column()),
        (None, None) => d.at(1, 1),
    };
    if let Some(close) = closest_expected(&message) {
        d = d.with_hint(tr!("front_matter.did_you_mean", word = close));
    } else if message.starts_with("unknown field") {
        d = d.with_hint(tr!("front_matter.unknown_field_hint"));
    } else if message.contains("missing field") {
        d = d.with_hint(tr!("front_matter.missing_field_hint"));
    } else if message.starts_with("mapping values are not allowed") {
        d = d.with_hint(tr!("front_matter.colon_in_value_hint"));
    } else if message.contains(KEY_VALUE_LINES) {
        d = d.with_hint(tr!("front_matter.key_value_lines_hint"));
    }
    d
}

/// For "unknown field `titel`, expected one of `title`, …" (or an unknown
/// variant such as `kind: regulaton`), the expected word one or two
/// letters away, if there is exactly such a word.
pub fn closest_expected(message: &str) -> Option<&str> {
    let (_, message) = crate::messages::serde_path(message);
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (written, expected) = rest.split_once('`')?;
    let list = expected.split_once("expected ")?.1;
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split(", ")
        .filter_map(|w| w.strip_prefix('`')?.strip_suffix('`'))
        .map(|w| (strsim::levenshtein(written, w), w))
        .filter(|&(distance, _)| distance <= 2 && distance < written.chars().count())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, w)| w)
}

/// What front matter must be, in place of the Rust type serde names.
const KEY_VALUE_LINES: &str = "expected `key: value` lines";

/// serde's message with our Rust type names (`expected struct PageMeta`,
/// `SectionMeta`) replaced by words a trainer can act on.
fn plain_words(message: &str) -> String {
    let Some(at) = message.find("expected struct ") else {
        return message.to_string();
    };
    let name_start = at + "expected struct ".len();
    let rest = &message[name_start..];
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    format!("{}{KEY_VALUE_LINES}{}", &message[..at], &rest[name_len..])
}

/// Where something left open began, and what to say about it.
struct Opened {
    line: usize,
    column: usize,
    what: &'static str,
    hint: &'static str,
}

/// libyaml notices an unclosed `[`, `{` or quote, or a line without its
/// colon, only on a later line, and reports it there; its message ends with
/// where that construct began (", while parsing a flow sequence at line 2
/// column 7"), which is the line to fix.
fn opened(full: &str) -> Option<Opened> {
    let (_, context) = full.split_once(", while ")?;
    let (_, what, hint) = [
        (
            "parsing a flow sequence",
            "front_matter.open_list",
            "front_matter.open_list_hint",
        ),
        (
            "parsing a flow mapping",
            "front_matter.open_map",
            "front_matter.open_map_hint",
        ),
        (
            "scanning a quoted scalar",
            "front_matter.open_quote",
            "front_matter.open_quote_hint",
        ),
        (
            "scanning a simple key",
            "front_matter.not_key_value",
            "front_matter.not_key_value_hint",
        ),
    ]
    .into_iter()
    .find(|(context_start, ..)| context.starts_with(context_start))?;
    let (_, at) = context.split_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    Some(Opened {
        line: line.trim().parse().ok()?,
        column: column.trim().parse().ok()?,
        what: crate::messages::text(what),
        hint: crate::messages::text(hint),
    })
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: u16 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Date::parse(s.trim()).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid date `{s}`, expected YYYY-MM-DD"))
        })
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // fields exist to be deserialised
    struct Fm {
        title: String,
        #[serde(default)]
        date: Option<Date>,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn can_split_and_count_lines() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line_offset, 3);
        let s = split("---\r\ntitle: a\r\n---\r\n").unwrap();
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn rejects_missing_or_unclosed_front_matter() {
        assert_eq!(split("# hi").unwrap_err().line, 1);
        assert!(
            split("---\ntitle: a\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(split("").is_err());
    }

    #[test]
    fn maps_yaml_errors_to_file_lines() {
        // File line 4 is front-matter line 3.
        let text = "---\ntitle: a\n# note\ntags: [a, b]]\n---\n";
        let yaml = split(text).unwrap().yaml;
        let d = parse::<Fm>("a.md", yaml).unwrap_err();
        assert_eq!(d.line, Some(4), "{d}");
        let text = "---\ntitle: a\nbogus: 1\n---\n";
        let d = parse::<Fm>("a.md", split(text).unwrap().yaml).unwrap_err();
        assert_eq!((d.line, d.column), (Some(3), Some(1)), "{d}");
        assert!(d.message.contains("expected one of `title`, `date`"), "{d}");
    }

    #[test]
    fn places_unclosed_quotes_and_colonless_lines_where_they_start() {
        // YAML notices at the end or on the next line; the mistake is on
        // the line where the quote or key starts.
        let d = parse::<Fm>("a.md", "title: \"甲\ntags: [a]\n").unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(8)), "{d}");
        assert!(d.message.contains("quote is not closed"), "{d}");
        let d = parse::<Fm>("a.md", "title: 甲\n日期 2024\ntags: [a]\n").unwrap_err();
        assert_eq!((d.line, d.column), (Some(3), Some(1)), "{d}");
        assert!(d.message.contains("not a `key: value` line"), "{d}");
    }

    #[test]
    fn validates_dates() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("24-01-01").is_none());
        let d = parse::<Fm>("a.md", "title: a\ndate: 2024-02-30\n").unwrap_err();
        assert!(d.message.contains("invalid date"), "{d}");
        assert_eq!((d.line, d.column), (Some(3), Some(7)), "{d}");
    }

    #[test]
    fn refuses_huge_front_matter_quickly() {
        let yaml = format!("title: a\nsummary: \"{}\"\n", "x".repeat(5 * 1024 * 1024));
        let start = std::time::Instant::now();
        let d = parse::<Fm>("a.md", &yaml).unwrap_err();
        assert!(d.message.contains("limit"));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn refuses_alias_bombs_and_deep_nesting() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, prev) in ('b'..='i').zip('a'..='h') {
            bomb.push_str(&format!("{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        bomb.push_str("title: x\n");
        // A generic value would expand every alias: 9^9 strings if unbounded.
        let start = std::time::Instant::now();
        assert!(parse::<serde_yaml::Value>("a.md", &bomb).is_err());
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        let deep = format!("title: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse::<Fm>("a.md", &deep).is_err());
        // 100,000 levels, as flow and as block sequences: a clear error at
        // once (the parser took 20 s), at the file line it happens on.
        for (deep, line) in [
            (
                format!(
                    "title: x\ntags: {}{}\n",
                    "[".repeat(100_000),
                    "]".repeat(100_000)
                ),
                3,
            ),
            (format!("title: x\ntags:\n{}x\n", "- ".repeat(100_000)), 4),
        ] {
            let started = std::time::Instant::now();
            let d = parse::<Fm>("a.md", &deep).unwrap_err();
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
            assert_eq!(d.line, Some(line), "{}", d.message);
            assert!(
                d.message.contains("nests more than 32 levels"),
                "{}",
                d.message
            );
        }
        // Ordinary nesting and brackets in quoted text are fine.
        let fine = "title: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\ntags: [a, [b, {c: d}]]\n";
        assert!(too_deep(fine).is_none());
    }
}
