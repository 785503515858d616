//! What zhiku says, in Chinese or English (issue 17).
//!
//! Messages are data: one catalogue per language, a folder of TOML files
//! (`src/messages/zh/`, `src/messages/en/`) whose tables name the part of
//! zhiku that speaks (`[front_matter]`, `[cli]` …). A message is looked up by
//! its dotted key and its `{name}` placeholders filled in, with [`tr!`]:
//!
//! ```
//! zhiku::messages::set_lang(zhiku::messages::Lang::En);
//! let line = zhiku::tr!("cli.no_cache_to_remove");
//! assert_eq!(line, "There is no build cache to remove.");
//! ```
//!
//! The language is chosen once per process ([`Lang::resolve`]: `--lang`,
//! else `ZHIKU_LANG`, else the locale) and read by every message made after
//! that. The tests in this module check that both catalogues have the same
//! keys with the same placeholders, and that every key the code uses exists.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language zhiku speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language the user asked for: `flag` (`--lang`), else the
    /// `ZHIKU_LANG` variable, else the locale (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`, the first one set: Chinese when it starts with `zh`).
    pub fn resolve(flag: Option<Lang>) -> Lang {
        Self::resolve_with(flag, |name| std::env::var(name).ok())
    }

    fn resolve_with(flag: Option<Lang>, var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        if let Some(lang) = var("ZHIKU_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `zh…` or `en…` (as in `ZHIKU_LANG` or a site's `language`), else
    /// nothing.
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim().to_ascii_lowercase();
        if text.starts_with("zh") {
            Some(Lang::Zh)
        } else if text.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language a site's UI speaks, from its `language` tag: Chinese
    /// unless the tag says English.
    pub fn of_site(language: &str) -> Lang {
        Lang::parse(language).unwrap_or(Lang::Zh)
    }
}

static LANG: AtomicU8 = AtomicU8::new(1);

/// Sets the language of every message made from now on.
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are made in (English until [`set_lang`]).
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        0 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The catalogue files: each part of zhiku's messages, in both languages.
type File = (&'static str, &'static str, &'static str);

const FILES: &[File] = &[
    (
        "cli",
        include_str!("messages/en/cli.toml"),
        include_str!("messages/zh/cli.toml"),
    ),
    (
        "help",
        include_str!("messages/en/help.toml"),
        include_str!("messages/zh/help.toml"),
    ),
    (
        "content",
        include_str!("messages/en/content.toml"),
        include_str!("messages/zh/content.toml"),
    ),
    (
        "config",
        include_str!("messages/en/config.toml"),
        include_str!("messages/zh/config.toml"),
    ),
    (
        "site",
        include_str!("messages/en/site.toml"),
        include_str!("messages/zh/site.toml"),
    ),
    (
        "output",
        include_str!("messages/en/output.toml"),
        include_str!("messages/zh/output.toml"),
    ),
];

type Catalogue = HashMap<String, String>;

fn catalogue(lang: Lang) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 2]> = OnceLock::new();
    let both = CATALOGUES.get_or_init(|| {
        let load = |pick: fn(&File) -> &'static str| {
            let mut all = Catalogue::new();
            for file in FILES {
                flatten("", &parse(file.0, pick(file)), &mut all);
            }
            all
        };
        [load(|f: &File| f.2), load(|f: &File| f.1)]
    });
    &both[lang as usize]
}

fn parse(name: &str, text: &str) -> toml::Table {
    // The catalogues are part of the program; the tests load every one.
    text.parse()
        .unwrap_or_else(|e| panic!("message catalogue {name}: {e}"))
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten(&full, inner, out),
            other => panic!("message catalogue: {full} is not text: {other}"),
        }
    }
}

/// The message `key` in the current language, placeholders unfilled. A key
/// missing from the catalogue (a bug the tests catch) comes out as itself.
pub fn text(key: &str) -> &'static str {
    text_in(lang(), key)
}

/// The message `key` in `lang`.
pub fn text_in(lang: Lang, key: &str) -> &'static str {
    match catalogue(lang).get(key) {
        Some(text) => text,
        None => Box::leak(key.to_string().into_boxed_str()),
    }
}

/// The message `key` in the current language with each `{name}` replaced
/// by its value; see [`tr!`].
pub fn format(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    format_in(lang(), key, args)
}

/// [`format`] in `lang`.
pub fn format_in(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(text_in(lang, key), args)
}

/// `template` with each `{name}` replaced by its value from `args`; `{{`
/// and `}}` are literal braces, an unknown name is left as it is.
fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let name_end = tail.find('}').filter(|_| tail.starts_with('{'));
        match name_end.and_then(|end| {
            let name = &tail[1..end];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (end, v))
        }) {
            Some((end, value)) => {
                out.push_str(&value.to_string());
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `n` with the noun `key` names, in the number it takes: the catalogue
/// gives `key.one` and `key.many` (`1 page`, `2 pages`; Chinese has one
/// form, `1 个页面`).
pub fn count(n: usize, key: &str) -> String {
    let form = if n == 1 { "one" } else { "many" };
    format(&format!("{key}.{form}"), &[("n", &n)])
}

/// A message from the catalogue, its placeholders filled in:
/// `tr!("cli.removed_cache", path = dir.display(), size = human)`.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::messages::text($key).to_string()
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::messages::format(
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}

mod serde_words;

pub use serde_words::split_path as serde_path;

/// One of serde's messages (about front matter or site.toml) in the
/// current language: see [`serde_words`].
pub fn serde_message(message: &str) -> String {
    serde_words::localise(lang(), message)
}

#[cfg(test)]
mod tests;
