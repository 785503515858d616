//! Syntax highlighting of fenced code through comrak's adapter, with CSS
//! classes (the theme ships colours for light and dark).
//!
//! The syntax set takes tens of milliseconds to load, so it is loaded once
//! per process and only when a page actually has a fenced code block with a
//! language; comrak's own `SyntectAdapter` loads it eagerly in `new`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write};
use std::sync::OnceLock;

use comrak::adapters::SyntaxHighlighterAdapter;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, so theme classes cannot collide.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The comrak adapter. Stateless; one per process is enough.
#[derive(Debug, Default, Clone, Copy)]
pub struct Highlighter;

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(
        &self,
        output: &mut dyn Write,
        lang: Option<&str>,
        code: &str,
    ) -> fmt::Result {
        let lang = lang
            .map(|l| l.split([',', ' ']).next().unwrap_or(l))
            .unwrap_or("");
        if lang.is_empty() || matches!(lang, "text" | "txt" | "plain") {
            return write_escaped(output, code);
        }
        let set = syntaxes();
        let Some(syntax) = set.find_syntax_by_token(lang) else {
            return write_escaped(output, code);
        };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return write_escaped(output, code);
            }
        }
        output.write_str(&generator.finalize())
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "pre", attributes, Some("highlight"))
    }

    fn write_code_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "code", attributes, None)
    }
}

/// Writes an opening tag with attributes sorted by name: comrak hands them
/// over in a `HashMap`, whose order would make the output differ between
/// runs.
fn write_tag(
    output: &mut dyn Write,
    tag: &str,
    attributes: HashMap<&'static str, Cow<'_, str>>,
    extra_class: Option<&str>,
) -> fmt::Result {
    let mut attrs: Vec<(&str, String)> = attributes
        .into_iter()
        .map(|(k, v)| (k, v.into_owned()))
        .collect();
    if let Some(class) = extra_class {
        match attrs.iter_mut().find(|(k, _)| *k == "class") {
            Some((_, v)) => *v = format!("{class} {v}"),
            None => attrs.push(("class", class.to_string())),
        }
    }
    attrs.sort();
    write!(output, "<{tag}")?;
    for (k, v) in attrs {
        write!(output, " {k}=\"")?;
        write_escaped(output, &v)?;
        output.write_char('"')?;
    }
    output.write_char('>')
}

fn write_escaped(output: &mut dyn Write, text: &str) -> fmt::Result {
    for c in text.chars() {
        match c {
            '<' => output.write_str("&lt;")?,
            '>' => output.write_str("&gt;")?,
            '&' => output.write_str("&amp;")?,
            '"' => output.write_str("&quot;")?,
            _ => output.write_char(c)?,
        }
    }
    Ok(())
}

/// The stylesheet for highlighted code: `light` applies by default, `dark`
/// under `[data-theme=dark]`.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let get = |name: &str| {
        themes.themes.get(name).ok_or_else(|| {
            let mut names: Vec<_> = themes.themes.keys().map(String::as_str).collect();
            names.sort_unstable();
            let names = names.join(crate::messages::text("site.list_separator"));
            crate::tr!(
                "site.markdown.unknown_highlight_theme",
                name = name,
                names = names
            )
        })
    };
    let light_css =
        css_for_theme_with_class_style(get(light)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    let dark_css =
        css_for_theme_with_class_style(get(dark)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    let (light_css, dark_css) = (minify(&light_css), minify(&dark_css));
    let mut css =
        String::from("/* zhiku: code colours from the syntect themes named in site.toml */\n");
    css.push_str(&light_css);
    // Dark colours apply under `[data-theme=dark]` only, which the theme's
    // head script sets from the reader's choice or, failing that, from the
    // system setting: one copy of the dark rules instead of two (one
    // inside a media query), ~8 KB less on every page with code.
    css.push('\n');
    css.push_str(&prefixed(&dark_css, "[data-theme=dark]"));
    css.push('\n');
    Ok(css)
}

/// Drops comments and needless whitespace from syntect's stylesheet, which
/// every page with code loads (the theme keeps CSS + JS under 60 KB).
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let tight = |c: char| matches!(c, '{' | '}' | ':' | ';' | ',' | '>');
    let mut compact = String::with_capacity(out.len());
    let mut pending_space = false;
    for c in out.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !compact.is_empty() && !tight(c) && !compact.ends_with(tight) {
            compact.push(' ');
        }
        pending_space = false;
        compact.push(c);
    }
    drop_deep_selectors(&compact)
}

/// Some themes style JSON nested twenty levels deep with selectors of
/// twenty `.hl-meta` steps (~6 KB in InspiredGitHub). Selectors deeper than
/// eight steps are dropped; such code is highlighted by the shallower rules.
fn drop_deep_selectors(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    for rule in css.split_inclusive('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            out.push_str(rule);
            continue;
        };
        let kept: Vec<&str> = selectors
            .split(',')
            .filter(|s| s.split(' ').count() <= 8)
            .collect();
        if !kept.is_empty() {
            out.push_str(&kept.join(","));
            out.push('{');
            out.push_str(body);
        }
    }
    out
}

/// Puts `prefix` before every selector of a flat stylesheet (no nesting:
/// older browsers on office PCs do not support CSS nesting).
fn prefixed(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            out.push_str(rule);
            continue;
        };
        let selectors: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{prefix} {}", s.trim()))
            .collect();
        out.push_str(&selectors.join(","));
        out.push('{');
        out.push_str(body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let mut out = String::new();
        Highlighter
            .write_highlighted(&mut out, Some("rust"), "fn main() {}\n")
            .unwrap();
        assert!(out.contains("class=\"hl-"), "{out}");
    }

    #[test]
    fn escapes_unknown_languages() {
        let mut out = String::new();
        Highlighter
            .write_highlighted(&mut out, Some("nosuchlang"), "<b>\n")
            .unwrap();
        assert_eq!(out, "&lt;b&gt;\n");
    }

    #[test]
    fn writes_attributes_in_a_stable_order() {
        let mut attrs = HashMap::new();
        attrs.insert("lang", Cow::from("rust"));
        attrs.insert("data-meta", Cow::from("x"));
        let mut out = String::new();
        write_tag(&mut out, "pre", attrs, Some("highlight")).unwrap();
        assert_eq!(
            out,
            "<pre class=\"highlight\" data-meta=\"x\" lang=\"rust\">"
        );
    }

    #[test]
    fn the_stylesheet_is_compact_and_keeps_selectors_apart() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.len() < 20 * 1024, "{} bytes", css.len());
        assert!(css.contains(".hl-code{"), "{}", &css[..300]);
        assert!(css.contains("[data-theme=dark] .hl-code{"), "{css}");
        assert!(css.contains("[data-theme=dark] .hl-keyword{"), "{css}");
        assert!(
            !css.contains(
                ".hl-meta .hl-meta .hl-meta .hl-meta .hl-meta .hl-meta .hl-meta .hl-meta"
            )
        );
        assert_eq!(css.matches("/*").count(), 1);
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }

    #[test]
    fn rejects_unknown_theme_listing_valid_ones() {
        let err = stylesheet("nope", "base16-ocean.dark").unwrap_err();
        assert!(err.contains("InspiredGitHub"), "{err}");
    }
}
