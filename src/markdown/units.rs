//! A page's plain text cut into search units: its opening, the stretch
//! under each heading (h1–h4), and on regulations each article. A search
//! hit points at its unit (`page/index.html#第十条`). Collected from the
//! AST after the other passes; the units hold text, never HTML.

use std::collections::HashMap;

use comrak::nodes::{AstNode, NodeValue};

use super::{Article, Heading};

/// One unit of a page's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextUnit {
    /// Article or heading id; empty for the opening.
    pub anchor: String,
    /// Article number or heading text; empty for the opening.
    pub label: String,
    /// Plain text, blocks separated by newlines.
    pub text: String,
}

/// Cuts the document into units. `articles` are the page's articles (their
/// lines identify the paragraphs that start them).
pub fn collect<'a>(
    root: &'a AstNode<'a>,
    headings: &[Heading],
    articles: &[Article],
    line_offset: usize,
) -> Vec<TextUnit> {
    let starts: HashMap<usize, &Article> = articles.iter().map(|a| (a.line, a)).collect();
    let mut units = vec![TextUnit::default()];
    let mut heading = 0;
    for node in root.children() {
        let line = node.data().sourcepos.start.line + line_offset;
        let level = match &node.data().value {
            NodeValue::Raw(_) => continue,
            NodeValue::Heading(h) => Some(h.level),
            NodeValue::Paragraph if starts.contains_key(&line) => Some(0),
            _ => None,
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
                        text: hd.text.clone(),
                    });
                    heading += 1;
                    continue;
                }
                heading += 1;
            }
            Some(_) => {
                let a = starts[&line];
                units.push(TextUnit {
                    anchor: a.id.clone(),
                    label: a.id.clone(),
                    text: String::new(),
                });
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

/// Text of a node, with newlines between blocks and table cells, so that
/// words of different blocks never look adjacent to the search.
fn plain_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    match &node.data().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::CodeBlock(c) => out.push_str(&c.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
        NodeValue::Raw(_) | NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_) => {}
        value => {
            let block = value.block() || matches!(value, NodeValue::TableCell);
            for child in node.children() {
                plain_text(child, out);
                if block && child.next_sibling().is_some() {
                    out.push('\n');
                }
            }
        }
    }
}
