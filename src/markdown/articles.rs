//! Regulation structure: 编/章/节 headings and articles (第…条), found on
//! comrak's AST — never by scanning the HTML.
//!
//! An article is a top-level paragraph that *starts* with 第…条 (Chinese or
//! Arabic numerals, optionally 之一 for an inserted article), plain or bold,
//! followed by whitespace of any kind or nothing. A 第十条 in the middle of
//! a sentence, or 第十条规定… at the start of prose, is not an article. An
//! article runs until the next article or heading; it is wrapped in a
//! container with a stable id (`第十条`, canonical Simplified form whatever
//! the text's script or numerals), a permalink, and a slot for the list of
//! pages citing it. One pass over the top-level nodes: linear in the page.

use comrak::Arena;
use comrak::nodes::{AstNode, NodeValue};

use super::{numerals, shorten_visible};
use crate::tr;

/// One article of a regulation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Its anchor: 第十条, 第二十条之一.
    pub id: String,
    /// The number as written in the text: 第十條, **第10条**.
    pub label: String,
    /// Article number.
    pub number: u32,
    /// 0, or N for an inserted article 之N.
    pub insert: u32,
    /// Index into the page's headings of the chapter (or section) it is in.
    pub chapter: Option<usize>,
    /// Its plain text, shortened (for excerpts), with a
    /// [`super::units::LINK_TEXT_OPEN`] marker where a `[[wikilink]]` shows
    /// its default text: fill with [`super::units::fill_link_texts`].
    #[serde(deserialize_with = "crate::disk_cache::long_text")]
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// An article reference parsed from text like 第十条, 第10條, 第二十条之一.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ArticleRef {
    /// Article number.
    pub number: u32,
    /// 0, or N for 之N.
    pub insert: u32,
}

impl ArticleRef {
    /// Parses exactly 第N条 or 第N条之M (条 or 條); nothing else.
    pub fn parse(text: &str) -> Option<ArticleRef> {
        let (r, len) = Self::parse_prefix(text)?;
        (len == text.len()).then_some(r)
    }

    /// Parses `第N条[之M]` at the start of `text`; returns it and its length in
    /// bytes.
    pub fn parse_prefix(text: &str) -> Option<(ArticleRef, usize)> {
        let rest = text.strip_prefix('第')?;
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == '条' || c == '條')
            .map(|(i, _)| i)?;
        let number = numerals::parse(rest[..end].trim())?;
        let mut len = '第'.len_utf8() + end + '条'.len_utf8();
        let mut insert = 0;
        if let Some(after) = text[len..].strip_prefix('之') {
            let digits: String = after
                .chars()
                .take_while(|c| numerals::parse(&c.to_string()).is_some())
                .collect();
            if let Some(n) = numerals::parse(&digits) {
                insert = n;
                len += '之'.len_utf8() + digits.len();
            }
        }
        Some((ArticleRef { number, insert }, len))
    }

    /// The canonical anchor: 第十条, 第二十条之一.
    pub fn id(self) -> String {
        let mut id = format!("第{}条", numerals::to_chinese(self.number));
        if self.insert > 0 {
            id.push('之');
            id.push_str(&numerals::to_chinese(self.insert));
        }
        id
    }
}

/// Whether a heading's text names a part, chapter or section: 第一编,
/// 第二章　总则, 第三节.
pub fn is_division_heading(text: &str) -> bool {
    let Some(rest) = text.trim().strip_prefix('第') else {
        return false;
    };
    rest.char_indices()
        .take(10)
        .find(|&(_, c)| matches!(c, '编' | '編' | '章' | '节' | '節'))
        .is_some_and(|(i, _)| numerals::parse(rest[..i].trim()).is_some())
}

/// A problem with the numbering, for a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberingIssue {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// An article's anchor: its canonical id (`第十条`), with `-2`, `-3` …
/// when the page already has one of that number.
fn unique_id(
    r: ArticleRef,
    seen: &mut std::collections::HashSet<String>,
    articles: &[Article],
) -> String {
    let id = r.id();
    if seen.insert(id.clone()) {
        return id;
    }
    let same = articles
        .iter()
        .filter(|a| a.number == r.number && a.insert == r.insert)
        .count();
    format!("{id}-{}", same + 1)
}

/// Finds the articles among the top-level nodes, wraps each in a container
/// and returns them. `headings` are the page's headings in order (their
/// positions in the document order of headings are what `chapter` refers
/// to); `line_offset` maps body lines to file lines.
pub fn mark<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    headings: &[String],
    line_offset: usize,
) -> Vec<Article> {
    let raw = |html: String| arena.alloc(AstNode::from(NodeValue::Raw(html)));
    let mut articles: Vec<Article> = Vec::new();
    let mut open = false;
    let mut heading_index = 0;
    let mut chapter = None;
    let mut seen = std::collections::HashSet::new();
    let nodes: Vec<_> = root.children().collect();
    for node in nodes {
        let is_heading = matches!(node.data().value, NodeValue::Heading(_));
        let is_footnote = matches!(node.data().value, NodeValue::FootnoteDefinition(_));
        if is_heading || is_footnote {
            if open {
                node.insert_before(raw(close(&articles)));
                open = false;
            }
            if is_heading {
                if headings
                    .get(heading_index)
                    .is_some_and(|h| is_division_heading(h))
                {
                    chapter = Some(heading_index);
                }
                heading_index += 1;
            }
            continue;
        }
        let start = matches!(node.data().value, NodeValue::Paragraph)
            .then(|| article_start(node))
            .flatten();
        match start {
            Some((r, label)) => {
                if open {
                    node.insert_before(raw(close(&articles)));
                }
                let id = unique_id(r, &mut seen, &articles);
                node.insert_before(raw(open_tag(&id, &label)));
                let line = node.data().sourcepos.start.line + line_offset;
                // The text without its number: excerpts show the number apart.
                let text = collapse(&plain_text(node));
                let text = shorten_visible(text.trim_start_matches(&label).trim_start(), 300);
                articles.push(Article {
                    id,
                    label,
                    number: r.number,
                    insert: r.insert,
                    chapter,
                    text,
                    line,
                });
                open = true;
            }
            None if open => {
                if let Some(a) = articles.last_mut()
                    && a.text.chars().count() < 300
                {
                    let more = collapse(&plain_text(node));
                    a.text = shorten_visible(&format!("{} {more}", a.text), 300);
                }
            }
            None => {}
        }
    }
    if open {
        root.append(raw(close(&articles)));
    }
    articles
}

fn open_tag(id: &str, label: &str) -> String {
    let id = super::escape_html(id);
    format!(
        "<div class=\"article\" id=\"{id}\"><a class=\"article-link\" href=\"#{id}\" aria-label=\"{} 的链接\">#</a>\n",
        super::escape_html(label)
    )
}

fn close(articles: &[Article]) -> String {
    let id = articles
        .last()
        .map_or(String::new(), |a| super::escape_html(&a.id));
    format!("{}{id}{}</div>\n", super::CITED_OPEN, super::CITED_CLOSE)
}

/// Whether a paragraph starts an article; returns the reference and the
/// label as written.
fn article_start<'a>(paragraph: &'a AstNode<'a>) -> Option<(ArticleRef, String)> {
    let first = paragraph.first_child()?;
    let data = first.data();
    match &data.value {
        NodeValue::Strong => {
            drop(data);
            let text = first.collect_text();
            let text = text.trim();
            ArticleRef::parse(text).map(|r| (r, text.to_string()))
        }
        NodeValue::Text(text) => {
            let (r, len) = ArticleRef::parse_prefix(text)?;
            let next = text[len..].chars().next();
            // Followed by whitespace of any kind, or by nothing in this text
            // node (a line break, the end of the paragraph).
            (next.is_none_or(char::is_whitespace)).then(|| (r, text[..len].to_string()))
        }
        _ => None,
    }
}

/// Gaps and duplicates in the numbering, as warnings.
pub fn check_numbering(articles: &[Article]) -> Vec<NumberingIssue> {
    let mut issues = Vec::new();
    let mut first_line = std::collections::HashMap::new();
    let mut prev: Option<&Article> = None;
    for a in articles {
        let key = (a.number, a.insert);
        if let Some(line) = first_line.get(&key) {
            issues.push(NumberingIssue {
                line: a.line,
                message: tr!("site.markdown.article_twice", label = a.label, line = line),
            });
        } else {
            first_line.insert(key, a.line);
            if let Some(p) = prev {
                let expected_main = a.insert == 0 && a.number == p.number + 1;
                let expected_insert =
                    a.insert > 0 && a.number == p.number && a.insert == p.insert + 1;
                if !(expected_main || expected_insert)
                    && (a.number, a.insert) > (p.number, p.insert)
                {
                    let missing = ArticleRef {
                        number: p.number + 1,
                        insert: 0,
                    }
                    .id();
                    issues.push(NumberingIssue {
                        line: a.line,
                        message: tr!(
                            "site.markdown.article_gap",
                            label = a.label,
                            prev = p.label,
                            missing = missing
                        ),
                    });
                } else if (a.number, a.insert) < (p.number, p.insert) {
                    issues.push(NumberingIssue {
                        line: a.line,
                        message: tr!(
                            "site.markdown.article_order",
                            label = a.label,
                            prev = p.label
                        ),
                    });
                }
            } else if a.number != 1 {
                issues.push(NumberingIssue {
                    line: a.line,
                    message: tr!("site.markdown.first_article", label = a.label),
                });
            }
        }
        prev = Some(a);
    }
    issues
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A node's text as its excerpt shows it: a `[[wikilink]]`'s default text
/// (a slot by now) as a marker, not dropped.
fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    super::units::plain_text(node, &mut text);
    text
}

#[cfg(test)]
#[path = "articles_tests.rs"]
mod tests;
