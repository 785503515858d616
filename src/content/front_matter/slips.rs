//! Input-method slips in front matter that YAML reads as something else:
//! a full-width `：` after a key or `，` between list items (a Chinese input
//! method types them), a colon with no space after it. Each is found by
//! looking at the lines themselves and reported at the character, with a
//! hint, in place of what YAML would have said.

use crate::tr;

/// A slip, at a 1-based line and column of the front matter.
pub(super) struct Slip {
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) message: String,
    pub(super) hint: String,
}

/// Slips that YAML would accept, silently, as something else: checked
/// before parsing.
pub(super) fn before_parsing(yaml: &str) -> Option<Slip> {
    full_width_colon(yaml).or_else(|| full_width_comma(yaml))
}

/// Slips that make YAML fail with a message that does not name them:
/// checked when it has failed, `syntax` telling whether YAML could not
/// read the text at all (rather than read a value of the wrong kind).
pub(super) fn after_failure(yaml: &str, syntax: bool) -> Option<Slip> {
    no_space_after_colon(yaml).or_else(|| left_open(yaml).filter(|_| syntax))
}

fn no_space_after_colon(yaml: &str) -> Option<Slip> {
    top_level_lines(yaml).find_map(|(line, key, rest)| {
        let after = rest.strip_prefix(':')?;
        let next = after.chars().next()?;
        (!next.is_whitespace() && !matches!(next, ':' | '/')).then(|| Slip {
            line,
            column: key.chars().count() + 1,
            message: tr!("front_matter.no_space_after_colon", key = key),
            hint: tr!("front_matter.no_space_after_colon_hint", key = key),
        })
    })
}

/// A value that opens a quote or a `[` and does not close it on its line.
/// YAML lets a quoted value run on to the next quote mark, lines later, and
/// then fails there; the line to fix is the one that opened it.
fn left_open(yaml: &str) -> Option<Slip> {
    top_level_lines(yaml).find_map(|(line, key, rest)| {
        let value = rest.strip_prefix(':')?.trim_start();
        let open = value.chars().next()?;
        let closed = match open {
            '"' => closes_quote(&value[1..], '"'),
            '\'' => closes_quote(&value[1..], '\''),
            '[' => value.contains(']'),
            _ => return None,
        };
        if closed {
            return None;
        }
        let (message, hint) = match open {
            '[' => ("front_matter.open_list", "front_matter.open_list_hint"),
            _ => ("front_matter.open_quote", "front_matter.open_quote_hint"),
        };
        Some(Slip {
            line,
            column: key.chars().count() + rest.chars().count() - value.chars().count() + 1,
            message: tr!(
                "front_matter.prefix",
                message = crate::messages::text(message)
            ),
            hint: crate::messages::text(hint).to_string(),
        })
    })
}

/// Whether `text` (after an opening `quote`) holds its closing mark: `\"`
/// escapes in double quotes, `''` in single quotes.
fn closes_quote(text: &str, quote: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Top-level lines that start with what may be a key: the line number,
/// the key and the rest of the line after it.
fn top_level_lines(yaml: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    yaml.lines().enumerate().filter_map(|(i, line)| {
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(line.len());
        let key = &line[..end];
        key.starts_with(|c: char| c.is_ascii_alphabetic())
            .then(|| (i + 1, key, &line[end..]))
    })
}

/// The first top-level line written `key：value`, with the full-width colon,
/// which YAML reads as part of the text (the commonest slip of all).
fn full_width_colon(yaml: &str) -> Option<Slip> {
    top_level_lines(yaml).find_map(|(line, key, rest)| {
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        rest[spaces..].starts_with('：').then(|| Slip {
            line,
            column: key.chars().count() + spaces + 1,
            message: tr!("front_matter.full_width_colon", key = key),
            hint: tr!("front_matter.full_width_colon_hint", key = key),
        })
    })
}

/// A full-width `，` or `、` between the items of a one-line list
/// (`tags: [甲，乙]`), which makes one item of two; quoted text may hold
/// them.
fn full_width_comma(yaml: &str) -> Option<Slip> {
    top_level_lines(yaml).find_map(|(line, key, rest)| {
        let value = rest.strip_prefix(':')?.trim_start();
        if !value.starts_with('[') {
            return None;
        }
        let start = key.chars().count() + rest.chars().count() - value.chars().count();
        let mut quote = None;
        for (i, c) in value.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '，' | '、') => {
                    return Some(Slip {
                        line,
                        column: start + i + 1,
                        message: tr!("front_matter.full_width_comma", key = key, mark = c),
                        hint: tr!("front_matter.full_width_comma_hint", key = key),
                    });
                }
                (None, ']') => return None,
                _ => {}
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_failure(yaml: &str) -> Option<Slip> {
        after_failure(yaml, true)
    }

    fn at(slip: Option<Slip>) -> Option<(usize, usize)> {
        slip.map(|s| (s.line, s.column))
    }

    #[test]
    fn a_full_width_colon_is_found_at_its_column() {
        assert_eq!(
            at(before_parsing("date: 2024-01-01\ntitle：以案促改\n")),
            Some((2, 6))
        );
        assert_eq!(at(before_parsing("title ：以案促改\n")), Some((1, 7)));
        // Text of a block scalar, and a colon inside a value, are not keys.
        assert_eq!(at(before_parsing("summary: |\n  要点：三条\n")), None);
        assert_eq!(at(before_parsing("title: 要点：三条\n")), None);
    }

    #[test]
    fn a_full_width_comma_in_a_one_line_list_is_found() {
        assert_eq!(
            at(before_parsing("tags: [组织建设，基层治理]\n")),
            Some((1, 12))
        );
        assert_eq!(
            at(before_parsing("tags: [组织建设、基层治理]\n")),
            Some((1, 12))
        );
        // Inside quotes it is text; in a title it is punctuation.
        assert_eq!(at(before_parsing("tags: [\"甲，乙\", 丙]\n")), None);
        assert_eq!(at(before_parsing("title: 学习，再学习\n")), None);
    }

    #[test]
    fn a_colon_without_its_space_is_found_after_a_failure() {
        assert_eq!(
            at(syntax_failure("title:以案促改\ndate: 2024-01-01\n")),
            Some((2 - 1, 6))
        );
        assert_eq!(
            at(syntax_failure("title: 甲\ndate:2024-01-01\n")),
            Some((2, 5))
        );
        assert_eq!(at(syntax_failure("title: 甲\nurl: http://x\n")), None);
    }

    #[test]
    fn a_misspelt_key_or_value_is_matched_to_the_word_meant() {
        use super::super::closest_expected;
        let field = "unknown field `titel`, expected one of `title`, `date`, `tags`";
        assert_eq!(closest_expected(field), Some("title"));
        let variant = "unknown variant `regulaton`, expected one of `regulation`, `checklist`";
        assert_eq!(closest_expected(variant), Some("regulation"));
        let nested = "kind: unknown variant `cse`, expected one of `page`, `case`";
        assert_eq!(closest_expected(nested), Some("case"));
        assert_eq!(
            closest_expected("unknown field `xyz`, expected one of `title`"),
            None
        );
        assert_eq!(closest_expected("missing field `title`"), None);
    }

    #[test]
    fn a_quote_or_bracket_left_open_is_found_where_it_opens() {
        let yaml = "title: \"以案促改\nsummary: 见“通知”\ntags: [\"甲\"]\n";
        assert_eq!(at(syntax_failure(yaml)), Some((1, 8)));
        assert_eq!(
            at(syntax_failure("title: 甲\ntags: [甲, 乙\n")),
            Some((2, 7))
        );
        assert_eq!(at(syntax_failure("title: 'it''s'\n")), None);
        assert_eq!(at(syntax_failure("title: \"a \\\" b\"\n")), None);
    }
}
