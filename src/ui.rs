//! The built site's own words (issue 17): every label, button, notice and
//! message the theme shows around the content, in Simplified Chinese,
//! Traditional Chinese or English, as site.toml's `language` says.
//!
//! 1. [`UiLanguage::of`] reads the `language` tag: Traditional for zh-TW,
//!    zh-HK, zh-MO and zh-Hant…, English for en…, Simplified for zh,
//!    zh-CN and anything else.
//! 2. [`Ui::load`] reads that language's catalogue, a TOML file in the
//!    theme's `i18n/` folder (`zh-Hans.toml`, `zh-Hant.toml`, `en.toml`):
//!    the built-in theme's, then the keys a theme folder's copy changes,
//!    then those the site's own `i18n/` changes (the way a site's
//!    `templates/` overrides the theme's). A key the built-in catalogue
//!    does not have, or a placeholder its text does not use, is an error
//!    at its line.
//! 3. Templates get it as `ui` ([`Ui::value`]) with the `fill` filter
//!    ([`fill_filter`]); the render stage takes its own labels from it
//!    ([`Ui::text`]); the theme's scripts read [`SCRIPT_TABLES`] from
//!    `assets/ui.js` ([`Ui::script`]), one file for the whole site rather
//!    than the same strings in every page.
//!
//! These are the site's words for its readers; what zhiku says to the
//! person running it is [`crate::messages`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, line_col};
use crate::fold::Script;
use crate::theme::{self, Theme, ThemeFile};
use crate::tr;

/// The folder of catalogues, in a theme and in a site.
pub const DIR: &str = theme::CATALOGUE_DIR;

/// Where the scripts' strings are written.
pub const SCRIPT_FILE: &str = "assets/ui.js";

/// The tables `assets/ui.js` carries: those the theme's scripts use.
pub const SCRIPT_TABLES: &[&str] = &[
    "checklist",
    "format",
    "kind",
    "offline",
    "quiz",
    "script",
    "search",
    "study",
];

/// Keys whose text may use any of [`DATE_PLACEHOLDERS`], whatever the
/// Simplified catalogue's uses: languages write dates differently.
const DATE_KEYS: &[&str] = &["format.date", "format.date_time"];

/// What a date format may use: year, month, day (and both with two
/// digits), hours and minutes.
pub const DATE_PLACEHOLDERS: &[&str] = &["y", "m", "d", "mm", "dd", "hh", "min"];

/// The languages the theme has a catalogue for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiLanguage {
    /// 简体中文, `zh-Hans.toml`.
    Simplified,
    /// 繁體中文, `zh-Hant.toml`.
    Traditional,
    /// English, `en.toml`.
    English,
}

impl UiLanguage {
    /// Every language, Simplified (the reference) first.
    pub const ALL: [UiLanguage; 3] = [Self::Simplified, Self::Traditional, Self::English];

    /// The language of a BCP 47 tag: English for `en` and `en-…`;
    /// Traditional for the tags [`Script::of_language`] reads as
    /// Traditional (zh-TW, zh-HK, zh-MO, zh-Hant…); Simplified otherwise,
    /// including languages without a catalogue.
    pub fn of(tag: &str) -> UiLanguage {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            return Self::English;
        }
        match Script::of_language(tag.trim()) {
            Some(Script::Traditional(_)) => Self::Traditional,
            _ => Self::Simplified,
        }
    }

    /// Its catalogue's file name in `i18n/`.
    pub fn file(self) -> &'static str {
        match self {
            Self::Simplified => "zh-Hans.toml",
            Self::Traditional => "zh-Hant.toml",
            Self::English => "en.toml",
        }
    }

    fn of_file(name: &str) -> Option<UiLanguage> {
        Self::ALL.into_iter().find(|l| l.file() == name)
    }
}

/// One text of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The same words whatever the count.
    Plain(String),
    /// `{ one = "…", other = "…" }`: `one` when the count `n` is 1.
    Counted {
        /// For one.
        one: String,
        /// For any other count.
        other: String,
    },
}

impl Text {
    /// The words for the count `n` (none: the general form).
    pub fn for_count(&self, n: Option<i64>) -> &str {
        match self {
            Text::Plain(text) => text,
            Text::Counted { one, .. } if n == Some(1) => one,
            Text::Counted { other, .. } => other,
        }
    }

    /// The placeholders its forms use.
    pub fn placeholders(&self) -> BTreeSet<&str> {
        let forms: &[&String] = match self {
            Text::Plain(text) => &[text],
            Text::Counted { one, other } => &[one, other],
        };
        forms.iter().flat_map(|f| placeholders(f)).collect()
    }
}

/// A catalogue: texts by dotted key (`search.none`).
pub type Catalogue = BTreeMap<String, Text>;

/// The site's words, loaded.
#[derive(Debug, Clone)]
pub struct Ui {
    language: UiLanguage,
    texts: Catalogue,
    /// `texts` as templates see it: a map per table.
    value: tera::Value,
    digest: u64,
}

impl Ui {
    /// The catalogue of the site's language, with the theme folder's and
    /// the site's `i18n/` changes; every error found.
    pub fn load(config: &Config, theme: &Theme) -> Result<Ui, Vec<Diagnostic>> {
        let language = UiLanguage::of(&config.language);
        let mut texts = builtin(language);
        let mut errors = Vec::new();
        // The built-in theme's files are the base itself: over it they
        // change nothing.
        let theme_files = theme.catalogues.iter();
        let site_files = match theme::read_tree(&config.root.join(DIR), DIR) {
            Ok(files) => files,
            Err(d) => {
                errors.push(d);
                Vec::new()
            }
        };
        for file in theme_files.chain(&site_files) {
            let Some(of) = UiLanguage::of_file(&file.rel) else {
                errors.push(unknown_file(file));
                continue;
            };
            // Another language's file is checked too, so that switching
            // `language` does not bring errors to light later.
            if of == language {
                errors.extend(overlay(&mut texts, file));
            } else {
                errors.extend(overlay(&mut builtin(of), file));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Ui::new(language, texts))
    }

    /// The built-in catalogue of `language`, unchanged.
    pub fn builtin(language: UiLanguage) -> Ui {
        Ui::new(language, builtin(language))
    }

    fn new(language: UiLanguage, texts: Catalogue) -> Ui {
        let mut tables: BTreeMap<&str, BTreeMap<&str, &Text>> = BTreeMap::new();
        for (key, text) in &texts {
            let (table, leaf) = key.split_once('.').unwrap_or(("", key));
            tables.entry(table).or_default().insert(leaf, text);
        }
        let value = tera::Value::from_serializable(&tables);
        let digest = crate::hash::of((&texts, language.file()));
        Ui {
            language,
            texts,
            value,
            digest,
        }
    }

    /// Which catalogue it is.
    pub fn language(&self) -> UiLanguage {
        self.language
    }

    /// The text of `key` (the general form of a counted one). Keys are
    /// the built-in catalogue's, which has them all; an unknown key (a bug)
    /// comes out as itself.
    pub fn text<'s>(&'s self, key: &'s str) -> &'s str {
        self.texts.get(key).map_or(key, |t| t.for_count(None))
    }

    /// The text of `key` for HTML, its placeholders filled with `args`
    /// (HTML already, inserted as they are); its own words escaped. The
    /// form is chosen by the argument `n`, when it is a number.
    pub fn html(&self, key: &str, args: &[(&str, &str)]) -> String {
        let n = args
            .iter()
            .find(|(name, _)| *name == "n")
            .and_then(|(_, v)| v.parse().ok());
        let template = self.texts.get(key).map_or(key, |t| t.for_count(n));
        let mut out = String::with_capacity(template.len() + 32);
        for piece in pieces(template) {
            match piece {
                Piece::Text(text) => out.push_str(&crate::markdown::escape_html(text)),
                Piece::Name(name) => match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&crate::markdown::escape_html(&format!("{{{name}}}"))),
                },
            }
        }
        out
    }

    /// What templates see as `ui`: `ui.search.none`.
    pub fn value(&self) -> &tera::Value {
        &self.value
    }

    /// A digest of every text, for the outputs' fingerprints.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// `assets/ui.js`: the [`SCRIPT_TABLES`] as `window.zhikuUI`, an
    /// object of texts by dotted key, for the theme's scripts, and
    /// `window.zhikuText(key, values)`, which fills them ([`TEXT_JS`]). A
    /// classic script, so that it loads from `file://` too.
    pub fn script(&self) -> String {
        let shown: BTreeMap<&str, &Text> = self
            .texts
            .iter()
            .filter(|(key, _)| {
                let table = key.split_once('.').map_or("", |(t, _)| t);
                SCRIPT_TABLES.contains(&table)
            })
            .map(|(key, text)| (key.as_str(), text))
            .collect();
        let json = serde_json::to_string(&shown)
            .unwrap_or_else(|_| "{}".into())
            // Inlined in the single-file edition: nothing may end its <script>.
            .replace("</", "<\\/");
        format!(
            "/* zhiku: the site's words in its language, from the theme's i18n/{} \
             (docs/templates.md). */\n{TEXT_JS}window.zhikuUI = {json};\n",
            self.language.file()
        )
    }
}

/// The function the theme's scripts fill their words with, written once
/// into `assets/ui.js` beside the words.
const TEXT_JS: &str = include_str!("ui/text.js");

/// The built-in catalogue of `language`.
fn builtin(language: UiLanguage) -> Catalogue {
    let path = format!("{DIR}/{}", language.file());
    let text = theme::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, bytes)| String::from_utf8_lossy(bytes))
        .unwrap_or_default();
    // Part of the program: the tests parse every catalogue.
    parse(&text).unwrap_or_else(|(e, _)| panic!("themes/default/{path}: {e}"))
}

/// A catalogue from its TOML text: tables of texts.
pub fn parse(text: &str) -> Result<Catalogue, (String, Option<usize>)> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let message = crate::messages::serde_message(e.message().trim());
        (message, e.span().map(|s| s.start))
    })?;
    let mut out = Catalogue::new();
    flatten("", &table, &mut out).map_err(|key| (tr!("ui.not_text", key = key), None))?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, Text::Plain(text.clone()));
            }
            toml::Value::Table(t) if t.contains_key("one") || t.contains_key("other") => {
                match (t.get("one"), t.get("other"), t.len()) {
                    (Some(toml::Value::String(one)), Some(toml::Value::String(other)), 2) => {
                        let (one, other) = (one.clone(), other.clone());
                        out.insert(full, Text::Counted { one, other });
                    }
                    _ => return Err(full),
                }
            }
            toml::Value::Table(inner) => flatten(&full, inner, out)?,
            _ => return Err(full),
        }
    }
    Ok(())
}

/// Puts the texts of `file` over `base`: each must be a key of `base`,
/// using only placeholders its text there uses. Returns the faults.
fn overlay(base: &mut Catalogue, file: &ThemeFile) -> Vec<Diagnostic> {
    let text = String::from_utf8_lossy(&file.bytes);
    let changes = match parse(&text) {
        Ok(c) => c,
        Err((message, at)) => {
            let d = Diagnostic::error(&file.display, message);
            return vec![match at {
                Some(offset) => {
                    let (line, column) = line_col(&text, offset);
                    d.at(line, column)
                }
                None => d,
            }];
        }
    };
    let mut errors = Vec::new();
    for (key, change) in changes {
        let fault = |message: String| {
            let d = Diagnostic::error(&file.display, message);
            match line_of(&text, &key) {
                Some(line) => d.at_line(line),
                None => d,
            }
        };
        let Some(was) = base.get(&key) else {
            let near = base
                .keys()
                .min_by_key(|k| strsim::levenshtein(k, &key))
                .filter(|k| strsim::levenshtein(k, &key) <= 3);
            let hint = match near {
                Some(k) => tr!("front_matter.did_you_mean", word = k),
                None => tr!(
                    "ui.keys_are",
                    file = format!("themes/default/{DIR}/{}", file.rel)
                ),
            };
            errors.push(fault(tr!("ui.unknown_key", key = key)).with_hint(hint));
            continue;
        };
        let allowed: BTreeSet<&str> = if DATE_KEYS.contains(&key.as_str()) {
            DATE_PLACEHOLDERS.iter().copied().collect()
        } else {
            was.placeholders()
        };
        let stray: Vec<String> = change
            .placeholders()
            .into_iter()
            .filter(|p| !allowed.contains(p))
            .map(|p| format!("{{{p}}}"))
            .collect();
        if stray.is_empty() {
            base.insert(key, change);
        } else {
            let can = allowed
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>();
            errors.push(
                fault(tr!("ui.stray", key = key, stray = stray.join(", "))).with_hint(
                    match can.is_empty() {
                        true => tr!("ui.no_placeholders"),
                        false => tr!("ui.may_use", placeholders = can.join(", ")),
                    },
                ),
            );
        }
    }
    errors
}

fn unknown_file(file: &ThemeFile) -> Diagnostic {
    let names: Vec<&str> = UiLanguage::ALL.iter().map(|l| l.file()).collect();
    Diagnostic::error(&file.display, tr!("ui.not_a_catalogue"))
        .with_hint(tr!("ui.not_a_catalogue_hint", names = names.join(", ")))
}

/// The line of `key` (`table.leaf`) in a catalogue's text: the first
/// `leaf = …` after the `[table]` header.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (table, leaf) = key.rsplit_once('.').unwrap_or(("", key));
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = header.trim().to_string();
        } else if current == table
            && let Some(rest) = line.strip_prefix(leaf)
            && rest.trim_start().starts_with('=')
        {
            return Some(i + 1);
        }
    }
    None
}

/// A part of a text: words, or a `{name}` placeholder.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Name(&'a str),
}

/// `template` in pieces; `{{` and `}}` are literal braces, and a brace
/// that opens no `{name}` is text.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push(Piece::Text(&tail[..1]));
            rest = &tail[2..];
            continue;
        }
        let name = tail
            .strip_prefix('{')
            .and_then(|t| t.find('}').map(|end| &t[..end]))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        match name {
            Some(name) => {
                out.push(Piece::Name(name));
                rest = &tail[name.len() + 2..];
            }
            None => {
                out.push(Piece::Text(&tail[..1]));
                rest = &tail[1..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Name(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// `template` with each `{name}` replaced by its value from `args`; an
/// unknown name is left as it is.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Name(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// The templates' `fill` filter: `{{ ui.list.count | fill(n=3) }}` puts
/// each argument in place of its `{name}`. A counted text takes its form
/// from `n`. The text and the arguments are escaped, except arguments
/// already safe (a link made with `{% set link %}…{% endset %}`), so that
/// a text can hold a link: `{{ ui.page.superseded | fill(link=link) }}`.
pub fn fill_filter(
    value: &tera::Value,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let n = kwargs
        .get::<&tera::Value>("n")?
        .and_then(tera::Value::as_i64);
    let form = |name: &str| {
        value
            .as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))
            .and_then(|(_, v)| v.as_str().map(str::to_string))
    };
    let template = match value.as_str() {
        Some(text) => text.to_string(),
        None => form(if n == Some(1) { "one" } else { "other" })
            .ok_or_else(|| tera::Error::message("`fill` needs a text of the `ui` catalogue"))?,
    };
    let escaping = state.autoescaping_enabled();
    let escape = |text: &str, out: &mut String| {
        if escaping {
            let mut buf = Vec::with_capacity(text.len());
            // Writing to a Vec cannot fail.
            let _ = tera::escape_html(text, &mut buf);
            out.push_str(&String::from_utf8_lossy(&buf));
        } else {
            out.push_str(text);
        }
    };
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces(&template) {
        match piece {
            Piece::Text(text) => escape(text, &mut out),
            Piece::Name(name) => match kwargs.iter().find(|(k, _)| k.as_str() == Some(name)) {
                Some((_, v)) if v.is_safe() => out.push_str(&v.to_string()),
                Some((_, v)) => {
                    let text: Cow<'_, str> = v
                        .as_str()
                        .map_or_else(|| v.to_string().into(), Cow::Borrowed);
                    escape(&text, &mut out);
                }
                None => escape(&format!("{{{name}}}"), &mut out),
            },
        }
    }
    Ok(if escaping {
        tera::Value::safe_string(&out)
    } else {
        tera::Value::from(out)
    })
}

#[cfg(test)]
mod tests;
