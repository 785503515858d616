//! serde's messages about front matter and site.toml, in the reader's
//! language. serde (through the YAML and TOML parsers) words its errors in
//! English from a few fixed shapes — `unknown field `x`, expected one of
//! …`, `invalid type: string "x", expected a sequence` — so they are
//! recognised here and rewritten from the catalogue; anything else is left
//! as serde wrote it. Callers decide where an error points from the
//! English text, then pass it through [`localise`] for display.

use super::{Lang, format_in, text_in};

/// `message` (one of serde's) in `lang`.
pub(super) fn localise(lang: Lang, message: &str) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    let (path, rest) = split_path(message);
    match (path, shaped(lang, rest)) {
        (Some(path), Some(shown)) => format!("{path}：{shown}"),
        (None, Some(shown)) => shown,
        (_, None) => message.to_string(),
    }
}

/// serde names where in a nested value an error is (`kind: unknown
/// variant …`, `related[0]: …`): that path, and the message after it.
pub fn split_path(message: &str) -> (Option<&str>, &str) {
    match message.split_once(": ") {
        Some((path, rest)) if !path.is_empty() && !path.contains([' ', '`']) => (Some(path), rest),
        _ => (None, message),
    }
}

fn shaped(lang: Lang, message: &str) -> Option<String> {
    let f = |key: &str, args: &[(&str, &dyn std::fmt::Display)]| format_in(lang, key, args);
    // libyaml's own words for the commonest mistakes in a line.
    for (english, key) in [
        (
            "mapping values are not allowed in this context",
            "serde.yaml.colon_in_value",
        ),
        ("did not find expected key", "serde.yaml.expected_key"),
        (
            "found character that cannot start any token",
            "serde.yaml.bad_start",
        ),
    ] {
        if message.starts_with(english) {
            return Some(text_in(lang, key).to_string());
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = quoted_then(rest)?;
        return Some(match expected_list(expected) {
            Some(list) => f(
                "serde.unknown_field",
                &[("field", &field), ("expected", &list)],
            ),
            None => f("serde.unknown_field_none", &[("field", &field)]),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = quoted_then(rest)?;
        let list = expected_list(expected)?;
        return Some(f(
            "serde.unknown_variant",
            &[("value", &value), ("expected", &list)],
        ));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.strip_suffix('`')?;
        return Some(f("serde.missing_field", &[("field", &field)]));
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let field = rest.strip_suffix('`')?;
        return Some(f("serde.duplicate_field", &[("field", &field)]));
    }
    if let Some(rest) = message.strip_prefix("invalid date `") {
        let (value, _) = quoted_then(rest)?;
        return Some(f("serde.invalid_date", &[("value", &value)]));
    }
    for (prefix, key) in [
        ("invalid type: ", "serde.invalid_type"),
        ("invalid value: ", "serde.invalid_value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, expected) = rest.rsplit_once(", expected ")?;
            let found = unexpected(lang, found);
            let expected = expected_words(lang, expected);
            return Some(f(key, &[("found", &found), ("expected", &expected)]));
        }
    }
    None
}

/// `x`, and what follows `x`, from "x`, expected …".
fn quoted_then(rest: &str) -> Option<(&str, &str)> {
    let (quoted, after) = rest.split_once('`')?;
    Some((quoted, after.strip_prefix(", ").unwrap_or(after)))
}

/// "expected one of `a`, `b`" or "expected `a`" as "`a`、`b`"; `None` for
/// "there are no fields".
fn expected_list(expected: &str) -> Option<String> {
    let list = expected
        .strip_prefix("expected one of ")
        .or_else(|| expected.strip_prefix("expected "))?;
    Some(list.split(", ").collect::<Vec<_>>().join("、"))
}

/// serde's `Unexpected` ("string \"x\"", "integer `5`", "sequence").
fn unexpected(lang: Lang, found: &str) -> String {
    let (kind, value) = match found.split_once(' ') {
        Some((kind, value)) if !matches!(kind, "unit" | "floating" | "newtype") => (kind, value),
        _ => (found, ""),
    };
    let (kind, value) = match found.strip_prefix("floating point ") {
        Some(value) => ("floating point", value),
        None => (kind, value),
    };
    let key = match kind {
        "string" | "char" => "serde.found.string",
        "integer" => "serde.found.integer",
        "floating point" => "serde.found.float",
        "boolean" => "serde.found.boolean",
        "sequence" => "serde.found.sequence",
        "map" => "serde.found.map",
        "unit value" | "unit" | "option" => "serde.found.nothing",
        _ => return found.to_string(),
    };
    let name = text_in(lang, key);
    if value.is_empty() {
        name.to_string()
    } else {
        format!("{name} {value}")
    }
}

/// What serde expected ("a string", "a sequence", "u32", "`key: value`
/// lines"), in words.
fn expected_words(lang: Lang, expected: &str) -> String {
    let key = match expected {
        "a string" | "a borrowed string" | "a character" => "serde.expected.string",
        "a sequence" => "serde.expected.sequence",
        "a map" => "serde.expected.map",
        "a boolean" => "serde.expected.boolean",
        "`key: value` lines" => "serde.expected.key_value_lines",
        "f32" | "f64" | "a float" => "serde.expected.number",
        e if e.starts_with('u') && e[1..].parse::<u32>().is_ok() || e == "usize" => {
            "serde.expected.natural"
        }
        e if e.starts_with('i') && e[1..].parse::<u32>().is_ok() || e == "isize" => {
            "serde.expected.integer"
        }
        _ => return expected.to_string(),
    };
    text_in(lang, key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(message: &str) -> String {
        localise(Lang::Zh, message)
    }

    #[test]
    fn english_is_left_as_serde_wrote_it() {
        let message = "unknown field `titel`, expected one of `title`, `date`";
        assert_eq!(localise(Lang::En, message), message);
    }

    #[test]
    fn the_shapes_a_trainer_meets_read_in_chinese() {
        assert_eq!(
            zh("unknown field `titel`, expected one of `title`, `date`"),
            "没有 `titel` 这个键；可以写的键有 `title`、`date`"
        );
        assert_eq!(
            zh("unknown field `x`, there are no fields"),
            "没有 `x` 这个键"
        );
        assert_eq!(zh("missing field `title`"), "缺少 `title`");
        assert_eq!(zh("duplicate field `date`"), "`date` 写了不止一次");
        assert_eq!(
            zh("unknown variant `草案`, expected one of `current`, `repealed`"),
            "`草案` 不是可以取的值；可以取 `current`、`repealed`"
        );
        assert_eq!(
            zh("invalid type: string \"组织建设\", expected a sequence"),
            "类型不对：这里要写列表（如 `[甲, 乙]`），写的是文字 \"组织建设\""
        );
        assert_eq!(
            zh("invalid type: integer `5`, expected `key: value` lines"),
            "类型不对：这里要写若干行 `键: 值`，写的是整数 `5`"
        );
        assert_eq!(
            zh("invalid value: integer `-1`, expected u32"),
            "值不对：这里要写不小于 0 的整数，写的是整数 `-1`"
        );
        assert!(zh("invalid date `2024-13-01`, expected YYYY-MM-DD").contains("2024-13-01"));
    }

    #[test]
    fn a_nested_value_keeps_its_path() {
        assert_eq!(
            zh("kind: unknown variant `x`, expected one of `page`, `case`"),
            "kind：`x` 不是可以取的值；可以取 `page`、`case`"
        );
        assert_eq!(
            split_path("invalid type: string"),
            (None, "invalid type: string")
        );
    }

    #[test]
    fn yaml_s_own_words_are_translated() {
        assert!(zh("mapping values are not allowed in this context").contains("冒号"));
    }

    #[test]
    fn an_unknown_shape_stays_as_it_was() {
        assert_eq!(zh("recursion limit exceeded"), "recursion limit exceeded");
        assert_eq!(
            zh("invalid type: newtype struct, expected a string"),
            "类型不对：这里要写文字，写的是newtype struct"
        );
    }
}
