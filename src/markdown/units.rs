//! A page's plain text cut into search units: its opening, the stretch
//! under each heading (h1–h4), and on regulations each article. A search
//! hit points at its unit (`page/index.html#第十条`). Collected from the
//! AST after the other passes; the units hold text, never HTML.

use std::collections::HashMap;

use comrak::nodes::{AstNode, NodeValue};

use super::{Article, ArticleRef, Heading, SLOT_CLOSE, TEXT_OPEN};

/// Marks where a `[[wikilink]]`'s default text goes in a unit's text:
/// `\u{E000}N\u{E001}` for link slot N. The text is known only once the site
/// graph is built; the search index puts it in ([`fill_link_texts`]).
pub const LINK_TEXT_OPEN: char = '\u{E000}';
/// Closes a [`LINK_TEXT_OPEN`] marker.
pub const LINK_TEXT_CLOSE: char = '\u{E001}';

/// One unit of a page's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextUnit {
    /// Article or heading id; empty for the opening.
    pub anchor: String,
    /// Article number or heading text; empty for the opening.
    pub label: String,
    /// Plain text, blocks separated by newlines; without the heading or
    /// article number that `label` shows (a snippet never repeats it).
    #[serde(deserialize_with = "crate::disk_cache::long_text")]
    pub text: String,
    /// The article this unit is (regulations), for citations.
    pub article: Option<ArticleRef>,
}

/// Cuts the document into units. `articles` are the page's articles (their
/// lines identify the paragraphs that start them); `terms` the terms of its
/// definition lists, in document order: each term of a top-level list
/// starts a unit holding its definition (a glossary's hit points at the
/// term; text after the list runs on in the last term's unit, as text
/// after a heading does in the heading's).
pub fn collect<'a>(
    root: &'a AstNode<'a>,
    headings: &[Heading],
    terms: &[Heading],
    articles: &[Article],
    line_offset: usize,
) -> Vec<TextUnit> {
    let starts: HashMap<usize, &Article> = articles.iter().map(|a| (a.line, a)).collect();
    let mut units = vec![TextUnit::default()];
    let mut heading = 0;
    let mut term = 0;
    for node in root.children() {
        let line = node.data().sourcepos.start.line + line_offset;
        let level = match &node.data().value {
            NodeValue::Raw(_) => continue,
            NodeValue::DescriptionList => {
                term = definitions(node, terms, term, &mut units);
                continue;
            }
            NodeValue::Heading(h) => Some(h.level),
            NodeValue::Paragraph if starts.contains_key(&line) => Some(0),
            _ => {
                // Terms of lists nested deeper are text of their block.
                if term < terms.len() {
                    term += count_terms(node);
                }
                None
            }
        };
        match level {
            Some(level) if level > 0 => {
                if let Some(hd) = headings.get(heading)
                    && level <= 4
                {
                    // The heading's own words belong to its unit (a hit on them
                    // points at the heading).
                    units.push(TextUnit {
                        anchor: hd.id.clone(),
                        label: hd.text.clone(),
                        text: String::new(),
                        article: None,
                    });
                    heading += 1;
                    continue;
                }
                heading += 1;
            }
            Some(_) => {
                let a = starts[&line];
                let r = ArticleRef {
                    number: a.number,
                    insert: a.insert,
                };
                let mut text = String::new();
                plain_text(node, &mut text);
                units.push(TextUnit {
                    anchor: a.id.clone(),
                    label: r.id(),
                    text: text
                        .strip_prefix(a.label.as_str())
                        .unwrap_or(&text)
                        .trim_start()
                        .to_string(),
                    article: Some(r),
                });
                continue;
            }
            _ => {}
        }
        let unit = units.last_mut().expect("starts with the opening");
        if !unit.text.is_empty() {
            unit.text.push('\n');
        }
        plain_text(node, &mut unit.text);
    }
    // Every unit stays, even an empty one: unit 0 carries the page title,
    // and a heading's label alone can match.
    units
}

/// A top-level definition list: a unit per term (`terms[term..]`), its
/// definitions the unit's text. Returns the index of the next term.
fn definitions<'a>(
    list: &'a AstNode<'a>,
    terms: &[Heading],
    mut term: usize,
    units: &mut Vec<TextUnit>,
) -> usize {
    for part in list.children().flat_map(AstNode::children) {
        match part.data().value {
            NodeValue::DescriptionTerm => {
                let t = terms.get(term);
                units.push(TextUnit {
                    anchor: t.map_or_else(String::new, |t| t.id.clone()),
                    label: t.map_or_else(String::new, |t| t.text.clone()),
                    text: String::new(),
                    article: None,
                });
                term += count_terms(part);
            }
            _ => {
                let unit = units.last_mut().expect("starts with the opening");
                if !unit.text.is_empty() {
                    unit.text.push('\n');
                }
                plain_text(part, &mut unit.text);
                term += count_terms(part);
            }
        }
    }
    term
}

/// How many definition-list terms `node` is or holds.
fn count_terms<'a>(node: &'a AstNode<'a>) -> usize {
    node.descendants()
        .filter(|n| matches!(n.data().value, NodeValue::DescriptionTerm))
        .count()
}

/// Text of a node, with newlines between blocks and table cells, so that
/// words of different blocks never look adjacent to the search.
pub(super) fn plain_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    match &node.data().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::CodeBlock(c) => out.push_str(&c.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Raw(raw) => {
            if let Some(n) = raw
                .strip_prefix(TEXT_OPEN)
                .and_then(|r| r.strip_suffix(SLOT_CLOSE))
            {
                out.push(LINK_TEXT_OPEN);
                out.push_str(n);
                out.push(LINK_TEXT_CLOSE);
            }
        }
        NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_) => {}
        _ => {
            // Blocks and table cells end with a newline; inline children
            // (emphasis, links) run on, so a phrase across them still reads
            // as one.
            for child in node.children() {
                plain_text(child, out);
                let value = &child.data().value;
                let block = value.block() || matches!(value, NodeValue::TableCell);
                if block && child.next_sibling().is_some() {
                    out.push('\n');
                }
            }
        }
    }
}

/// `text` with every link-text marker replaced by the link's text
/// (`texts[N]`).
pub fn fill_link_texts<'t>(text: &'t str, texts: &[String]) -> std::borrow::Cow<'t, str> {
    if !text.contains(LINK_TEXT_OPEN) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find(LINK_TEXT_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + LINK_TEXT_OPEN.len_utf8()..];
        let Some(end) = after.find(LINK_TEXT_CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(t) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| texts.get(n))
        {
            out.push_str(t);
        }
        rest = &after[end + LINK_TEXT_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out.into()
}
