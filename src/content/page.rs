//! Pages and sections as parsed from their text, with no IO: `Page::parse`
//! takes a path and a string (Zola's `Page::parse` vs `from_file`).

use serde::{Deserialize, Serialize};

use super::front_matter::{self, Date};
use crate::diagnostics::Diagnostic;
use crate::tr;

/// What a page is; decides its template and, in later stages, its
/// structure (articles, checklist items, case cards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Anything else: home, about, glossary.
    #[default]
    Page,
    /// A regulation or rule text.
    Regulation,
    /// A meeting checklist.
    Checklist,
    /// A case study.
    Case,
    /// A self-test quiz.
    Quiz,
}

impl Kind {
    /// Every kind, in the order listings group them.
    pub const ALL: [Kind; 5] = [
        Kind::Regulation,
        Kind::Checklist,
        Kind::Case,
        Kind::Quiz,
        Kind::Page,
    ];

    /// The lowercase name used in front matter and templates (readers see
    /// `kind.<name>` of the site's words, in the theme's `i18n/`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Regulation => "regulation",
            Kind::Checklist => "checklist",
            Kind::Case => "case",
            Kind::Quiz => "quiz",
        }
    }
}

/// A regulation's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In force.
    Current,
    /// In force, as amended.
    Amended,
    /// No longer in force.
    Repealed,
    /// Not yet adopted.
    Draft,
}

/// A page's front matter. Kind-specific keys are accepted on every page so
/// that a page's kind can change without rewriting its header.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Title (required).
    pub title: String,
    /// Publication date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Order within the section (lower first).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Drafts are left out unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// One-paragraph summary; the first paragraph is used when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// ASCII path segment replacing the transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Page kind; the section's `page_kind` when absent.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Regulation: issuing body.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Regulation: date issued.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Regulation: date in force.
    #[serde(default)]
    pub effective: Option<Date>,
    /// Regulation: standing.
    #[serde(default)]
    pub status: Option<Status>,
    /// Regulation: the text this one replaces (content path).
    #[serde(default)]
    pub supersedes: Option<String>,
    /// Regulation: the text that replaced this one (content path).
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// Checklist: kind of meeting.
    #[serde(default)]
    pub meeting: Option<String>,
    /// Checklist: how often.
    #[serde(default)]
    pub frequency: Option<String>,
    /// Checklist: who takes part.
    #[serde(default)]
    pub participants: Option<String>,
    /// Checklist: how long.
    #[serde(default)]
    pub duration: Option<String>,
    /// Case: organisation concerned.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Case: problems (a taxonomy).
    #[serde(default)]
    pub problems: Vec<String>,
    /// Case: cited regulation articles.
    #[serde(default)]
    pub related: Vec<String>,
    /// Terms of taxonomies declared in site.toml, by taxonomy name.
    #[serde(default)]
    pub taxonomies: std::collections::BTreeMap<String, Vec<String>>,
    /// When the text last changed in substance (the feed and 最近更新
    /// order by it, else by `date`).
    #[serde(default)]
    pub updated: Option<Date>,
    /// Old addresses of the page (`cases/old-name/`): each gets a page
    /// that sends the reader on, so links already shared keep working.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free values for templates (`page.extra`).
    #[serde(default)]
    pub extra: Extra,
}

/// The free `extra:` table of front matter, for templates. In YAML (and
/// in template contexts) it is a mapping; in the build cache, whose format
/// cannot hold values of unknown shape, it is their JSON text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(pub serde_json::Map<String, serde_json::Value>);

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.0.serialize(serializer)
        } else {
            let json = serde_json::to_string(&self.0).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&json)
        }
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            serde_json::Map::deserialize(deserializer).map(Extra)
        } else {
            let json = String::deserialize(deserializer)?;
            serde_json::from_str(&json)
                .map(Extra)
                .map_err(serde::de::Error::custom)
        }
    }
}

/// How a section orders its pages after `weight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Weight, then title.
    #[default]
    Weight,
    /// Weight, then newest first.
    Date,
    /// Weight, then title (transliterated).
    Title,
}

/// A section's `_index.md` front matter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    /// Title: required, except on the home page (`content/_index.md`),
    /// whose title is the site's (`site.toml`) unless it sets one; see
    /// [`parse_section`].
    #[serde(default)]
    pub title: String,
    /// Shown under the title and in listings.
    #[serde(default)]
    pub description: Option<String>,
    /// Order among sibling sections.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Page order after weight.
    #[serde(default)]
    pub sort_by: SortBy,
    /// Default kind of the section's pages.
    #[serde(default)]
    pub page_kind: Option<Kind>,
    /// ASCII path segment replacing the transliterated folder name.
    #[serde(default)]
    pub slug: Option<String>,
    /// A draft section is left out with all its pages unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Free values for templates (`section.extra`).
    #[serde(default)]
    pub extra: Extra,
}

/// A Markdown file split and its front matter parsed.
#[derive(Debug, Clone)]
pub struct Parsed<M> {
    /// The typed front matter.
    pub meta: M,
    /// The Markdown body.
    pub body: String,
    /// Lines of the file before the body.
    pub body_line_offset: usize,
    /// The front matter's YAML, for locating values in diagnostics.
    pub yaml: String,
}

/// Checks that bytes are a text file and returns the text without a BOM.
/// `path` names the file in diagnostics.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.is_empty() {
        return Err(Diagnostic::error(path, tr!("page.empty"))
            .at(1, 1)
            .with_hint(tr!("page.empty_hint")));
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(Diagnostic::error(path, tr!("page.binary")).with_hint(tr!("page.binary_hint")));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes[..valid]);
        let (line, col) = crate::diagnostics::line_col(&text, valid);
        Diagnostic::error(path, tr!("page.not_utf8"))
            .at(line, col)
            .with_hint(tr!("page.not_utf8_hint"))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Splits `text` and parses its front matter as `M`.
pub fn parse<M: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
) -> Result<Parsed<M>, Diagnostic> {
    let split = front_matter::split(text).map_err(|e| {
        let d = Diagnostic::error(path, e.message).at(e.line, 1);
        match e.hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    })?;
    let meta = front_matter::parse::<M>(path, split.yaml)?;
    Ok(Parsed {
        meta,
        body: split.body.to_string(),
        body_line_offset: split.body_line_offset,
        yaml: split.yaml.to_string(),
    })
}

/// Splits a section's `_index.md` and parses its front matter. `title` is
/// required except on the home page (`home`), which may leave it out, or
/// have no keys at all: the site's title from `site.toml` is used then,
/// so that it is not written in two places (issue 16).
pub fn parse_section(
    path: &str,
    text: &str,
    home: bool,
) -> Result<Parsed<SectionMeta>, Diagnostic> {
    if home
        && let Ok(split) = front_matter::split(text)
        && split.yaml.trim().is_empty()
    {
        return Ok(Parsed {
            meta: SectionMeta::default(),
            body: split.body.to_string(),
            body_line_offset: split.body_line_offset,
            yaml: split.yaml.to_string(),
        });
    }
    let parsed = parse::<SectionMeta>(path, text)?;
    if !home
        && front_matter::key_lines(&parsed.yaml, "title")
            .next()
            .is_none()
    {
        // The same words serde uses for a page without one.
        let missing = crate::messages::serde_message("missing field `title`");
        return Err(
            Diagnostic::error(path, tr!("front_matter.prefix", message = missing))
                .at(2, 1)
                .with_hint(tr!("front_matter.missing_field_hint")),
        );
    }
    Ok(parsed)
}

/// Checks values serde cannot: non-empty titles and valid slugs, at the
/// file line of their key in `yaml` (the front matter).
pub fn validate_title_and_slug(
    path: &str,
    yaml: &str,
    title: &str,
    slug: Option<&str>,
) -> Vec<Diagnostic> {
    // File lines: the YAML starts on line 2, after the opening `---`.
    let line = |key| front_matter::key_lines(yaml, key).next().unwrap_or(1) + 1;
    let mut out = Vec::new();
    if title.trim().is_empty() {
        out.push(Diagnostic::error(path, tr!("page.title_empty")).at(line("title"), 1));
    }
    if let Some(slug) = slug
        && !crate::slug::is_valid_slug(slug)
    {
        out.push(
            Diagnostic::error(path, tr!("page.invalid_slug", slug = slug))
                .at(line("slug"), 1)
                .with_hint(tr!("page.invalid_slug_hint")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_parse_a_regulation_header() {
        let text = "\u{feff}---\ntitle: 示例规定\nkind: regulation\nstatus: repealed\nissued: 2020-01-02\ntags: [组织建设]\n---\n正文\n";
        let text = decode("a.md", text.as_bytes().to_vec()).unwrap();
        let p = parse::<PageMeta>("a.md", &text).unwrap();
        assert_eq!(p.meta.kind, Some(Kind::Regulation));
        assert_eq!(p.meta.status, Some(Status::Repealed));
        assert_eq!(p.meta.issued.unwrap().to_string(), "2020-01-02");
        assert_eq!(p.body, "正文\n");
        assert_eq!(p.body_line_offset, 7);
    }

    #[test]
    fn rejects_unknown_kind_and_status_listing_valid_ones() {
        let d = parse::<PageMeta>("a.md", "---\ntitle: a\nkind: blog\n---\n").unwrap_err();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("regulation"), "{d}");
        let d = parse::<PageMeta>("a.md", "---\ntitle: a\nstatus: old\n---\n").unwrap_err();
        assert!(d.message.contains("repealed"), "{d}");
    }

    #[test]
    fn rejects_missing_title() {
        let d = parse::<PageMeta>("a.md", "---\ndate: 2024-01-01\n---\n").unwrap_err();
        assert!(d.message.contains("missing field `title`"), "{d}");
    }

    #[test]
    fn a_home_page_may_leave_out_its_title_and_a_section_may_not() {
        let home = parse_section("_index.md", "---\ndescription: 简介\n---\n正文\n", true);
        assert_eq!(home.unwrap().meta.title, "");
        let bare = parse_section("_index.md", "---\n---\n正文\n", true).unwrap();
        assert_eq!(
            (bare.meta.title.as_str(), bare.body.as_str()),
            ("", "正文\n")
        );
        let d = parse_section("a/_index.md", "---\ndescription: 简介\n---\n", false).unwrap_err();
        assert!(d.message.contains("missing field `title`"), "{d}");
        assert_eq!(d.line, Some(2));
        assert!(parse_section("a/_index.md", "---\n---\n", false).is_err());
        let titled = parse_section("a/_index.md", "---\ntitle: 甲\n---\n", false).unwrap();
        assert_eq!(titled.meta.title, "甲");
    }

    #[test]
    fn rejects_non_utf8_binary_and_empty_files() {
        let d = decode("a.md", b"---\ntitle: \xff\xfe\n---\n".to_vec()).unwrap_err();
        assert!(d.message.contains("UTF-8"));
        assert_eq!(d.line, Some(2));
        let d = decode("a.md", vec![0x89, b'P', b'N', b'G', 0, 0, 1]).unwrap_err();
        assert!(d.message.contains("binary"));
        assert!(
            decode("a.md", Vec::new())
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    #[test]
    fn validates_slugs() {
        let d = validate_title_and_slug(
            "a.md",
            "title: t\nkind: case\nslug: ../../x\n",
            "t",
            Some("../../x"),
        );
        assert_eq!(d[0].line, Some(4), "the file line of `slug:`");
        assert_eq!(d.len(), 1);
        assert!(validate_title_and_slug("a.md", "", "t", Some("ok-1")).is_empty());
    }
}
