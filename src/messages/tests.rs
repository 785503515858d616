use super::*;

use std::collections::BTreeSet;
use std::path::Path;

fn keys(lang: Lang) -> BTreeSet<&'static str> {
    catalogue(lang).keys().map(String::as_str).collect()
}

/// The `{name}` placeholders of a message.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.insert(rest[open + 1..open + close].to_string());
        rest = rest[open + close + 1..].to_string();
    }
    names
}

#[test]
fn every_key_exists_in_both_languages() {
    let (zh, en) = (keys(Lang::Zh), keys(Lang::En));
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "only in zh: {only_zh:?}\nonly in en: {only_en:?}"
    );
    assert!(zh.len() > 20, "the catalogues were not loaded: {zh:?}");
}

#[test]
fn both_languages_fill_the_same_placeholders() {
    for key in keys(Lang::En) {
        let (en, zh) = (text_in(Lang::En, key), text_in(Lang::Zh, key));
        assert_eq!(
            placeholders(en),
            placeholders(zh),
            "{key}:\n  en: {en}\n  zh: {zh}"
        );
    }
}

#[test]
fn chinese_messages_are_chinese() {
    // A key copied over untranslated reads as English to a Chinese user.
    for key in keys(Lang::Zh) {
        let zh = text_in(Lang::Zh, key);
        let en = text_in(Lang::En, key);
        let has_han = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(
            // "{label}：{location}：{message}" has its own punctuation.
            has_han || zh != en || !en.chars().any(char::is_alphabetic),
            "{key} is not translated: {zh}"
        );
    }
}

/// The key of every call `opener(…, "key")` in the Rust sources under
/// `src/` (the literal that is argument number `arg`), with its file. A
/// key built at run time is not seen; `tr!`, `text` and `format` always
/// take a literal here.
fn keys_after(opener: &str, arg: usize) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("messages/tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (at, _) in source.match_indices(opener) {
                // `include_str!(` is not `tr!(`.
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let mut rest = &source[at + opener.len()..];
                for _ in 0..arg {
                    rest = &rest[rest.find(',').map_or(rest.len(), |i| i + 1)..];
                }
                let Some(body) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                let end = body.find('"').unwrap();
                found.push((body[..end].to_string(), path.display().to_string()));
            }
        }
    }
    found
}

#[test]
fn every_key_the_code_uses_exists() {
    let en = keys(Lang::En);
    let mut used = keys_after("tr!(", 0);
    used.extend(keys_after("messages::text(", 0));
    used.extend(keys_after("messages::format(", 0));
    assert!(used.len() > 20, "the scan found too little: {used:?}");
    // `count(n, "cli.page")` reads `cli.page.one` and `cli.page.many`.
    for (key, file) in keys_after("messages::count(", 1) {
        used.push((format!("{key}.one"), file.clone()));
        used.push((format!("{key}.many"), file));
    }
    let missing: Vec<_> = used
        .iter()
        .filter(|(key, _)| !en.contains(key.as_str()))
        .collect();
    assert!(missing.is_empty(), "keys not in the catalogue: {missing:?}");
}

#[test]
fn fills_placeholders_and_keeps_literal_braces() {
    let filled = fill(
        "{path}: {n} 个 {{ title }} {unknown}",
        &[("path", &"a.md"), ("n", &3)],
    );
    assert_eq!(filled, "a.md: 3 个 { title } {unknown}");
    assert_eq!(fill("no braces", &[]), "no braces");
    assert_eq!(fill("dangling {", &[]), "dangling {");
}

#[test]
fn chooses_the_language_from_flag_variable_and_locale() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let zh_locale = env(&[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(Lang::resolve_with(None, zh_locale), Lang::Zh);
    assert_eq!(Lang::resolve_with(Some(Lang::En), zh_locale), Lang::En);
    assert_eq!(Lang::resolve_with(None, env(&[("LANG", "C")])), Lang::En);
    assert_eq!(Lang::resolve_with(None, env(&[])), Lang::En);
    // LC_ALL overrides LANG; an empty one does not count.
    let all_en = env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_TW.UTF-8")]);
    assert_eq!(Lang::resolve_with(None, all_en), Lang::En);
    let empty_all = env(&[("LC_ALL", ""), ("LANG", "zh_TW.UTF-8")]);
    assert_eq!(Lang::resolve_with(None, empty_all), Lang::Zh);
    let variable = env(&[("ZHIKU_LANG", "zh"), ("LANG", "C")]);
    assert_eq!(Lang::resolve_with(None, variable), Lang::Zh);
    // A variable zhiku does not understand falls through to the locale.
    let junk = env(&[("ZHIKU_LANG", "fr"), ("LANG", "zh_HK")]);
    assert_eq!(Lang::resolve_with(None, junk), Lang::Zh);
}

#[test]
fn a_site_speaks_chinese_unless_it_says_english() {
    assert_eq!(Lang::of_site("zh-TW"), Lang::Zh);
    assert_eq!(Lang::of_site("en-GB"), Lang::En);
    assert_eq!(Lang::of_site("bo"), Lang::Zh);
}

#[test]
fn no_key_is_in_two_catalogue_files() {
    // The files are merged into one table: a key set twice would keep
    // only the later file's text.
    for (pick, lang) in [(1, "en"), (2, "zh")] {
        let mut seen: std::collections::HashMap<String, &str> = Default::default();
        for file in FILES {
            let text = if pick == 1 { file.1 } else { file.2 };
            let mut keys = Catalogue::new();
            flatten("", &parse(file.0, text), &mut keys);
            for key in keys.into_keys() {
                if let Some(first) = seen.insert(key.clone(), file.0) {
                    panic!("{lang}: {key} is in both {first}.toml and {}.toml", file.0);
                }
            }
        }
    }
}
