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

/// Splits `text` (BOM already removed). The opening `---` must be the first
/// line.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let Some(after_open) = strip_fence_line(text) else {
        return Err((
            1,
            "missing front matter: the file must start with a `---` line, then YAML with at least a `title`, then `---`".into(),
        ));
    };
    let mut offset = text.len() - after_open.len();
    let mut line = 2;
    loop {
        let rest = &text[offset..];
        if rest.is_empty() {
            return Err((
                1,
                "front matter is not closed: add a `---` line after the YAML".into(),
            ));
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

/// Parses the YAML of a split file into `T`, mapping error positions to the
/// file. `path` names the file in diagnostics.
pub fn parse<T: DeserializeOwned>(path: &str, yaml: &str) -> Result<T, Diagnostic> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::error(
            path,
            format!(
                "front matter is {} KiB; the limit is {} KiB",
                yaml.len() / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        )
        .at(1, 1)
        .with_hint("move long text into the page body"));
    }
    if yaml.trim().is_empty() {
        return Err(Diagnostic::error(path, "front matter is empty: `title` is required").at(1, 1));
    }
    // The YAML parser takes time that grows with nesting squared (100,000
    // levels: 20 s) before serde's own depth limit stops it.
    if let Some((line, column)) = too_deep(yaml) {
        return Err(Diagnostic::error(
            path,
            format!("front matter nests more than {MAX_FRONT_MATTER_NESTING} levels deep"),
        )
        // File lines: the YAML starts on line 2, after the opening `---`.
        .at(line + 1, column)
        .with_hint(
            "front matter holds short values and lists; nothing there needs this much nesting",
        ));
    }
    serde_yaml::from_str(yaml).map_err(|e| yaml_diagnostic(path, yaml, &e))
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
    let message = full.split(" at line ").next().unwrap_or(&full).to_string();
    let mut d = Diagnostic::error(path, format!("front matter: {message}"));
    // The YAML block starts on file line 2, after the opening `---`.
    d = match (value_line(yaml, &message), e.location()) {
        (Some((line, column)), _) => d.at(line + 1, column),
        (None, Some(loc)) => d.at(loc.line() + 1, loc.column()),
        (None, None) => d.at(1, 1),
    };
    if message.starts_with("unknown field") {
        d = d.with_hint("remove the key or correct its spelling; the valid keys are listed above");
    } else if message.contains("missing field") {
        d = d.with_hint("add it to the YAML between the `---` lines");
    }
    d
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
        assert_eq!(split("# hi").unwrap_err().0, 1);
        assert!(
            split("---\ntitle: a\n")
                .unwrap_err()
                .1
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
