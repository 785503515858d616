//! `site.toml`: the raw form read from disk and the validated [`Config`].
//!
//! 1. `RawConfig` mirrors the file, strictly: `deny_unknown_fields`, so a
//!    typo is an error naming the key, its line, and the valid keys.
//! 2. [`Config::parse`] validates it and resolves paths against the site root.
//!
//! Raw and validated forms stay apart (ripgrep's lowargs → hiargs), so the
//! rest of the crate never sees an unchecked value.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, line_col};
use crate::tr;

/// The file name of a site's configuration.
pub const CONFIG_FILE: &str = "site.toml";

/// `site.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output_dir")]
    output_dir: String,
    #[serde(default)]
    site_id: Option<String>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    logo: Option<toml::Spanned<String>>,
    #[serde(default)]
    short_title: Option<toml::Spanned<String>>,
    #[serde(default)]
    footer: Option<toml::Spanned<String>>,
    #[serde(default)]
    menu: Vec<RawMenuItem>,
    #[serde(default)]
    extra: toml::Table,
}

/// A `[[menu]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct RawMenuItem {
    title: toml::Spanned<String>,
    url: toml::Spanned<String>,
}

/// A `[[menu]]` entry: a link every page shows in its navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// What readers see.
    pub title: String,
    /// An `http(s)://`, `mailto:` or `tel:` address, or a content path
    /// (`regulations/a.md#第五条`, `cases/`) resolved like a link.
    pub url: String,
    /// Whether `url` is outside the site (shown as such, never fetched).
    pub external: bool,
    /// Where site.toml gives `url`.
    pub at: At,
}

/// Where a value was written in site.toml (line, column), for errors
/// found after parsing (a logo file that is missing, a menu path or a
/// footer link that leads nowhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct At(pub usize, pub usize);

/// A `[[taxonomies]]` entry: a taxonomy besides `tags` and `problems`,
/// whose terms pages list under `taxonomies: {NAME: [...]}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct TaxonomyConfig {
    /// ASCII name: the front-matter key and the output folder.
    pub name: String,
    /// What readers see (专题).
    pub title: String,
}

/// The `[search]` table.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default, rename_all = "snake_case")]
pub struct SearchConfig {
    /// Write the search index and show the search box (default true).
    pub enabled: bool,
    /// The site's own groups of words that find each other
    /// (`[["入党", "发展党员"]]`), besides zhiku's built-in list.
    pub synonyms: Vec<Vec<String>>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            synonyms: Vec::new(),
        }
    }
}

fn default_language() -> String {
    "zh-CN".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> String {
    "public".into()
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default, rename_all = "snake_case")]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through (default: omit it).
    pub allow_html: bool,
    /// The syntect theme for code blocks in light mode.
    pub highlight_theme: String,
    /// The syntect theme for code blocks in dark mode.
    pub highlight_theme_dark: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            allow_html: false,
            highlight_theme: "InspiredGitHub".into(),
            highlight_theme_dark: "base16-ocean.dark".into(),
        }
    }
}

/// A validated site configuration with paths resolved against the site root.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Absolute URL the site is published at, with a trailing slash.
    pub base_url: Option<String>,
    /// Theme name.
    pub theme: String,
    /// Where `zhiku build` writes, absolute.
    pub output_dir: PathBuf,
    /// ASCII id that namespaces browser storage.
    pub site_id: String,
    /// Markdown options.
    pub markdown: MarkdownConfig,
    /// Search options.
    pub search: SearchConfig,
    /// Taxonomies declared besides `tags` and `problems`.
    pub taxonomies: Vec<TaxonomyConfig>,
    /// The header's image and the installed app's icon: a path under
    /// `static/` (`logo.png`), with where site.toml gives it.
    pub logo: Option<(String, At)>,
    /// The name under the installed app's icon.
    pub short_title: Option<String>,
    /// Markdown shown at the foot of every page (a contact line, a filing
    /// number), with where site.toml gives it.
    pub footer: Option<(String, At)>,
    /// Links shown in every page's navigation.
    pub menu: Vec<MenuItem>,
    /// The `[extra]` table, for templates (`config.extra`).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Image types a logo may have (browsers show all of them, and the
/// installed app's icon takes each).
pub const LOGO_TYPES: [&str; 6] = ["png", "svg", "jpg", "jpeg", "webp", "gif"];

impl Config {
    /// Reads and validates `root/site.toml`. IO failures are plain errors;
    /// faults in the file are diagnostics with line and column.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = crate::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(CONFIG_FILE, format!("{e:#}"))
                    .with_hint(tr!("config.no_site_hint")),
            ]
        })?;
        Self::parse(root, &text)
    }

    /// Parses and validates the text of `site.toml`.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
        let mut errors = Vec::new();
        let error = |message: String| Diagnostic::error(CONFIG_FILE, message);
        if raw.title.trim().is_empty() {
            errors.push(error(tr!("config.title_empty")));
        }
        let base_url = raw.base_url.map(|url| {
            normalise_base_url(&url).unwrap_or_else(|message| {
                errors.push(error(message));
                url
            })
        });
        if raw.output_dir.trim().is_empty() {
            errors.push(error(tr!("config.output_dir_empty")));
        }
        let site_id = raw
            .site_id
            .unwrap_or_else(|| crate::slug::slugify(&raw.title));
        if !crate::slug::is_valid_slug(&site_id) {
            errors.push(error(tr!("config.site_id", site_id = site_id)));
        }
        let mut names = std::collections::HashSet::new();
        for t in &raw.taxonomies {
            let reserved = ["tags", "problems", "search", "assets"].contains(&t.name.as_str());
            if !crate::slug::is_valid_slug(&t.name) || reserved || !names.insert(t.name.clone()) {
                errors.push(error(tr!("config.taxonomy_name", name = t.name)));
            }
        }
        let own = SiteOwn::parse(
            raw.logo,
            raw.short_title,
            raw.footer,
            raw.menu,
            text,
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            language: raw.language,
            base_url,
            theme: raw.theme,
            output_dir: root.join(raw.output_dir),
            site_id,
            markdown: raw.markdown,
            search: raw.search,
            taxonomies: raw.taxonomies,
            logo: own.logo,
            short_title: own.short_title,
            footer: own.footer,
            menu: own.menu,
            extra: toml_to_json(raw.extra),
        })
    }

    /// The site published at `url` instead of site.toml's `base_url`
    /// (`--base-url`, to preview a deploy).
    pub fn with_base_url(mut self, url: &str) -> Result<Config, Diagnostic> {
        let url =
            normalise_base_url(url).map_err(|message| Diagnostic::error(CONFIG_FILE, message))?;
        self.base_url = Some(url);
        Ok(self)
    }

    /// The `content/` folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The site's own `static/` folder.
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    /// The site's own `templates/` folder.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
}

/// `url` with a trailing slash, when it is an absolute http(s) URL.
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(tr!("config.base_url", url = url));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// What makes the site a trainer's own (logo, short title, footer, menu),
/// checked, each with where site.toml gives it.
struct SiteOwn {
    logo: Option<(String, At)>,
    short_title: Option<String>,
    footer: Option<(String, At)>,
    menu: Vec<MenuItem>,
}

impl SiteOwn {
    fn parse(
        logo: Option<toml::Spanned<String>>,
        short_title: Option<toml::Spanned<String>>,
        footer: Option<toml::Spanned<String>>,
        menu_items: Vec<RawMenuItem>,
        text: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> SiteOwn {
        let at = |span: std::ops::Range<usize>| {
            let (line, column) = line_col(text, span.start);
            At(line, column)
        };
        let error_at = |message: String, At(line, column): At| {
            Diagnostic::error(CONFIG_FILE, message).at(line, column)
        };
        let logo = logo.and_then(|logo| {
            let place = at(logo.span());
            match check_logo(logo.get_ref()) {
                Ok(path) => Some((path, place)),
                Err(message) => {
                    errors.push(error_at(message, place));
                    None
                }
            }
        });
        let short_title = short_title.and_then(|t| {
            let value = t.get_ref().trim().to_string();
            if value.is_empty() {
                errors.push(error_at(tr!("config.short_title_empty"), at(t.span())));
                return None;
            }
            Some(value)
        });
        let footer = footer
            .map(|f| (f.get_ref().clone(), at(f.span())))
            .filter(|(f, _)| !f.trim().is_empty());
        let mut menu = Vec::new();
        for item in menu_items {
            let place = at(item.url.span());
            let title = item.title.get_ref().trim().to_string();
            if title.is_empty() {
                errors.push(error_at(
                    tr!("config.menu_title_empty"),
                    at(item.title.span()),
                ));
            }
            let url = item.url.into_inner().trim().to_string();
            match menu_url_kind(&url) {
                Ok(external) => menu.push(MenuItem {
                    title,
                    url,
                    external,
                    at: place,
                }),
                Err(message) => errors.push(error_at(message, place)),
            }
        }
        SiteOwn {
            logo,
            short_title,
            footer,
            menu,
        }
    }
}

/// `logo` as a path under `static/`: a leading `static/` or `/` is
/// dropped; it must not leave the folder and must name an image.
fn check_logo(written: &str) -> Result<String, String> {
    let path = written.trim().replace('\\', "/");
    let path = path.trim_start_matches('/');
    let path = path.strip_prefix("static/").unwrap_or(path);
    if path.is_empty() {
        return Err(tr!("config.logo_empty"));
    }
    if path.contains("://") || path.split('/').any(|seg| seg == ".." || seg.is_empty()) {
        return Err(tr!("config.logo_outside", written = written));
    }
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !extension.is_some_and(|e| LOGO_TYPES.contains(&e.as_str())) {
        return Err(tr!(
            "config.logo_type",
            types = LOGO_TYPES.join(", "),
            written = written
        ));
    }
    Ok(path.to_string())
}

/// Whether a menu item's `url` leads outside the site (`Ok(true)`) or is
/// a content path (`Ok(false)`); other schemes are refused.
fn menu_url_kind(url: &str) -> Result<bool, String> {
    let lower = url.to_ascii_lowercase();
    if url.is_empty() {
        return Err(tr!("config.menu_url_empty"));
    }
    if ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Ok(true);
    }
    let scheme = lower.split_once(':').map(|(s, _)| s);
    if scheme.is_some_and(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    }) {
        return Err(tr!("config.menu_url", url = url));
    }
    Ok(false)
}

/// `[extra]` as JSON values for templates; dates become their TOML text.
fn toml_to_json(table: toml::Table) -> serde_json::Map<String, serde_json::Value> {
    fn value(v: toml::Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            toml::Value::String(s) => J::String(s),
            toml::Value::Integer(i) => J::from(i),
            toml::Value::Float(f) => J::from(f),
            toml::Value::Boolean(b) => J::Bool(b),
            toml::Value::Datetime(d) => J::String(d.to_string()),
            toml::Value::Array(a) => J::Array(a.into_iter().map(value).collect()),
            toml::Value::Table(t) => J::Object(toml_to_json(t)),
        }
    }
    table.into_iter().map(|(k, v)| (k, value(v))).collect()
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(CONFIG_FILE, crate::messages::serde_message(&message));
    if let Some(span) = e.span() {
        let (line, col) = line_col(text, span.start);
        d = d.at(line, col);
    }
    if message.starts_with("unknown field") {
        d = d.with_hint(tr!("front_matter.unknown_field_hint"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("/site"), text)
    }

    #[test]
    fn can_parse_minimal_config_with_defaults() {
        let c = parse("title = \"知库\"").unwrap();
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output_dir, PathBuf::from("/site/public"));
        assert!(!c.markdown.allow_html);
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn rejects_unknown_key_with_line_and_valid_keys() {
        let errs = parse("title = \"x\"\n\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (Some(3), Some(1)));
        assert!(errs[0].message.contains("titel"), "{}", errs[0].message);
        assert!(errs[0].message.contains("base_url"), "{}", errs[0].message);
    }

    #[test]
    fn rejects_unknown_markdown_key() {
        let errs = parse("title = \"x\"\n[markdown]\nallow_htm = true\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].message.contains("allow_html"));
    }

    #[test]
    fn can_add_search_synonyms() {
        // Checked by the search stage (`search::synonyms::check_site`).
        let c = parse("title = \"x\"\n[search]\nsynonyms = [[\"入党\", \"发展党员\"]]\n").unwrap();
        assert_eq!(c.search.synonyms, [["入党", "发展党员"]]);
    }

    #[test]
    fn rejects_missing_title() {
        let errs = parse("language = \"zh-TW\"").unwrap_err();
        assert!(errs[0].message.contains("title"), "{}", errs[0].message);
    }

    #[test]
    fn can_declare_taxonomies_and_rejects_bad_names() {
        let c =
            parse("title = \"x\"\n[[taxonomies]]\nname = \"topics\"\ntitle = \"专题\"\n").unwrap();
        assert_eq!(c.taxonomies[0].title, "专题");
        for bad in ["tags", "专题", "a b"] {
            let text = format!("title = \"x\"\n[[taxonomies]]\nname = \"{bad}\"\ntitle = \"t\"\n");
            assert!(parse(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn normalises_base_url() {
        let c = parse("title = \"x\"\nbase_url = \"https://example.org/kb\"").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/kb/"));
        assert!(parse("title = \"x\"\nbase_url = \"example.org\"").is_err());
    }
}
