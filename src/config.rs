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
}

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
}

impl Config {
    /// Reads and validates `root/site.toml`. IO failures are plain errors;
    /// faults in the file are diagnostics with line and column.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = crate::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(CONFIG_FILE, format!("{e:#}"))
                    .with_hint("run `zhiku init DIR` to create a site, or pass the site folder"),
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
            errors.push(error("`title` must not be empty".into()));
        }
        let base_url = raw.base_url.map(|url| {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                errors.push(error(format!(
                    "`base_url` must be an absolute http(s) URL, found `{url}`"
                )));
            }
            if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            }
        });
        if raw.output_dir.trim().is_empty() {
            errors.push(error("`output_dir` must not be empty".into()));
        }
        let site_id = raw
            .site_id
            .unwrap_or_else(|| crate::slug::slugify(&raw.title));
        if !crate::slug::is_valid_slug(&site_id) {
            errors.push(error(format!(
                "`site_id` must be ASCII letters, digits, `-` or `_`, found `{site_id}`"
            )));
        }
        let mut names = std::collections::HashSet::new();
        for t in &raw.taxonomies {
            let reserved = ["tags", "problems", "search", "assets"].contains(&t.name.as_str());
            if !crate::slug::is_valid_slug(&t.name) || reserved || !names.insert(t.name.clone()) {
                errors.push(error(format!(
                    "taxonomy name `{}` must be unique, ASCII letters, digits, `-` or `_`, and not tags, problems, search or assets",
                    t.name
                )));
            }
        }
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
        })
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

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(CONFIG_FILE, message.clone());
    if let Some(span) = e.span() {
        let (line, col) = line_col(text, span.start);
        d = d.at(line, col);
    }
    if message.starts_with("unknown field") {
        d = d.with_hint("remove the key or correct its spelling; the valid keys are listed above");
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
