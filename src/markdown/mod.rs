//! Markdown → [`Rendered`]: HTML plus what the site graph needs to know
//! about it (headings, outgoing links, a summary), via comrak's AST.
//!
//! 1. Parse with comrak (GFM: tables, task lists, strikethrough, autolinks,
//!    footnotes, alerts).
//! 2. Walk the AST once: give headings readable unique ids, collect every
//!    internal link and image, replace its URL with a slot `zklink:N`, give
//!    alerts their Chinese titles, note the first paragraph.
//! 3. Render HTML with our heading and code-highlighting adapters.
//!
//! Link targets depend on the rest of the site (where the target page is
//! written, whether its heading exists), so they cannot be resolved here;
//! the slots are filled by [`fill_links`] after the site graph is built.
//! That keeps the rendered Markdown a function of the file alone, which is
//! what lets a rebuild reuse it when the file has not changed.

pub mod highlight;

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AlertType, AstNode, NodeValue, Sourcepos};
use comrak::options::{Plugins, RenderPlugins};
use comrak::{Arena, Options, format_html_with_plugins, parse_document};

use crate::slug::Anchors;

/// The prefix of a link slot in rendered HTML.
const SLOT: &str = "zklink:";

/// How to render.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Keep raw HTML (default: omitted).
    pub allow_html: bool,
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Its anchor id, unique in the page.
    pub id: String,
    /// Its plain text.
    pub text: String,
}

/// A link or image in a page that points inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written.
    pub url: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the line.
    pub column: usize,
    /// An image (`![]()`), whose target must be a file, not a page.
    pub image: bool,
}

/// A page's rendered Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// HTML with `zklink:N` slots for the internal links.
    pub html: String,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Internal links; slot N is `links[N]`.
    pub links: Vec<LinkRef>,
    /// Plain text of the first paragraph, shortened.
    pub summary: String,
}

/// Renders a page body. `line_offset` is the number of file lines before
/// the body, so link positions name lines of the file.
pub fn render(body: &str, line_offset: usize, opts: MarkdownOptions) -> Rendered {
    let options = comrak_options(opts);
    let arena = Arena::new();
    let root = parse_document(&arena, body, &options);
    let mut out = Rendered::default();
    collect(root, body, line_offset, &mut out);
    label_task_items(&arena, root);
    let ids = HeadingIds {
        ids: out.headings.iter().map(|h| h.id.clone()).collect(),
        next: AtomicUsize::new(0),
    };
    let highlighter = highlight::Highlighter;
    let plugins = Plugins {
        render: RenderPlugins {
            heading_adapter: Some(&ids),
            codefence_syntax_highlighter: Some(&highlighter),
            ..RenderPlugins::default()
        },
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    // Writing into a String cannot fail.
    let _ = format_html_with_plugins(root, &options, &mut html, &plugins);
    out.html = html;
    out
}

fn comrak_options(opts: MarkdownOptions) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.alerts = true;
    o.render.r#unsafe = opts.allow_html;
    o.render.tasklist_classes = true;
    o
}

/// Step 2: one pass over the AST.
fn collect<'a>(root: &'a AstNode<'a>, body: &str, line_offset: usize, out: &mut Rendered) {
    let mut anchors = Anchors::default();
    let mut lines = LineIndex::new(body);
    for node in root.descendants() {
        let mut data = node.data_mut();
        let pos = data.sourcepos;
        match &mut data.value {
            NodeValue::Heading(h) => {
                let level = h.level;
                drop(data);
                let text = node.collect_text();
                let id = anchors.unique(&text);
                out.headings.push(Heading {
                    level,
                    id,
                    text: collapse_whitespace(&text),
                });
            }
            NodeValue::Link(link) | NodeValue::Image(link) if is_internal(&link.url) => {
                let image = matches!(data.value, NodeValue::Image(_));
                let slot = format!("{SLOT}{}", out.links.len());
                let url = std::mem::replace(slot_url(&mut data.value), slot);
                let column = lines.char_column(pos.start.line, pos.start.column);
                out.links.push(LinkRef {
                    url,
                    line: pos.start.line + line_offset,
                    column,
                    image,
                });
            }
            NodeValue::Alert(alert) if alert.title.is_none() => {
                alert.title = Some(alert_title(alert.alert_type).to_string());
            }
            NodeValue::Paragraph if out.summary.is_empty() && is_top_level(node) => {
                drop(data);
                out.summary = shorten(&collapse_whitespace(&node.collect_text()), 160);
            }
            _ => {}
        }
    }
}

/// Gives every task-list checkbox an accessible name: comrak writes a bare
/// `<input>` before the item's text, which screen readers announce as an
/// unlabelled checkbox (axe: critical). Each task item becomes a plain item
/// whose text is wrapped in a `<label>` together with its checkbox.
fn label_task_items<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    let items: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::TaskItem(_)))
        .collect();
    for item in items {
        let checked = matches!(&item.data().value, NodeValue::TaskItem(t) if t.symbol.is_some());
        let Some(NodeValue::List(list)) = item.parent().map(|p| p.data().value.clone()) else {
            continue;
        };
        item.data_mut().value = NodeValue::Item(list);
        let input = format!(
            "<label class=\"task-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\"{} disabled> ",
            if checked { " checked" } else { "" }
        );
        let raw = |html: String| arena.alloc(AstNode::from(NodeValue::Raw(html)));
        match item.first_child() {
            Some(p) if matches!(p.data().value, NodeValue::Paragraph) => {
                p.prepend(raw(input));
                p.append(raw("</label>".into()));
            }
            _ => item.prepend(raw(format!(
                "{input}<span class=\"visually-hidden\">待办事项</span></label>"
            ))),
        }
    }
}

/// Turns comrak's byte columns into character columns, which is what
/// editors show for CJK text. Built lazily: most pages have few links.
struct LineIndex<'b> {
    body: &'b str,
    starts: Vec<usize>,
}

impl<'b> LineIndex<'b> {
    fn new(body: &'b str) -> Self {
        Self {
            body,
            starts: Vec::new(),
        }
    }

    fn char_column(&mut self, line: usize, byte_column: usize) -> usize {
        if self.starts.is_empty() {
            self.starts.push(0);
            self.starts
                .extend(self.body.match_indices('\n').map(|(i, _)| i + 1));
        }
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return byte_column;
        };
        let end = (start + byte_column.saturating_sub(1)).min(self.body.len());
        self.body
            .get(start..end)
            .map_or(byte_column, |prefix| prefix.chars().count() + 1)
    }
}

fn slot_url(value: &mut NodeValue) -> &mut String {
    match value {
        NodeValue::Link(link) | NodeValue::Image(link) => &mut link.url,
        _ => unreachable!("only called on links and images"),
    }
}

fn is_top_level<'a>(node: &'a AstNode<'a>) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.data().value, NodeValue::Document))
}

fn alert_title(kind: AlertType) -> &'static str {
    match kind {
        AlertType::Note => "说明",
        AlertType::Tip => "提示",
        AlertType::Important => "重要",
        AlertType::Warning => "警告",
        AlertType::Caution => "注意",
    }
}

/// Whether a destination points inside the site: no scheme, not
/// protocol-relative, not empty.
pub fn is_internal(url: &str) -> bool {
    if url.is_empty() || url.starts_with("//") {
        return false;
    }
    let scheme_end = url.find(':');
    let first_sep = url.find(['/', '?', '#']);
    match (scheme_end, first_sep) {
        (Some(colon), Some(sep)) if colon > sep => true,
        (Some(colon), _) => {
            let scheme = &url[..colon];
            !(scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        }
        (None, _) => true,
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Puts heading ids on `<hN>` tags. comrak renders headings in document
/// order, the order `collect` assigned the ids in.
struct HeadingIds {
    ids: Vec<String>,
    next: AtomicUsize,
}

impl HeadingAdapter for HeadingIds {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        _: Option<Sourcepos>,
    ) -> fmt::Result {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = self.ids.get(n).map_or("", String::as_str);
        write!(output, "<h{} id=\"", heading.level)?;
        write_attr(output, id)?;
        output.write_str("\">")
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        write!(output, "</h{}>", heading.level)
    }
}

fn write_attr(output: &mut dyn fmt::Write, text: &str) -> fmt::Result {
    for c in text.chars() {
        match c {
            '"' => output.write_str("&quot;")?,
            '&' => output.write_str("&amp;")?,
            '<' => output.write_str("&lt;")?,
            '>' => output.write_str("&gt;")?,
            _ => output.write_char(c)?,
        }
    }
    Ok(())
}

/// Escapes text for an HTML attribute value or text node.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = write_attr(&mut out, text);
    out
}

/// Replaces every `zklink:N` slot in `html` with `resolve(N)` (already
/// escaped for an attribute). Slots only occur inside `href="…"` and
/// `src="…"`, where comrak put them; text cannot contain the pattern with
/// its opening quote, since comrak escapes quotes in text.
pub fn fill_links<'r>(html: &str, mut resolve: impl FnMut(usize) -> Cow<'r, str>) -> String {
    let needle = "=\"zklink:";
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find(needle) {
        let digits_start = at + needle.len();
        let digits_len = rest[digits_start..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let after = digits_start + digits_len;
        if digits_len == 0 || !rest[after..].starts_with('"') {
            out.push_str(&rest[..digits_start]);
            rest = &rest[digits_start..];
            continue;
        }
        let n: usize = rest[digits_start..after].parse().unwrap_or(usize::MAX);
        out.push_str(&rest[..at + 2]);
        out.push_str(&resolve(n));
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
