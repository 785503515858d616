//! Markdown → [`Rendered`]: HTML plus what the site graph needs to know
//! about it (headings, outgoing links, a summary), via comrak's AST.
//!
//! 1. Parse with comrak (GFM: tables, task lists, strikethrough, autolinks,
//!    footnotes, alerts; definition lists).
//! 2. Walk the AST once: give headings and definition-list terms readable
//!    unique ids, collect every internal link and image, replace its URL
//!    with a slot `zklink:N`, give alerts their Chinese titles, note the
//!    first paragraph.
//! 3. Render HTML with our heading and code-highlighting adapters.
//!
//! Link targets depend on the rest of the site (where the target page is
//! written, whether its heading exists), so they cannot be resolved here;
//! the slots are filled by [`fill_slots`] after the site graph is built.
//! That keeps the rendered Markdown a function of the file alone, which is
//! what lets a rebuild reuse it when the file has not changed.

pub mod articles;
pub mod highlight;
pub mod html;
pub mod numerals;
pub mod quiz;
pub mod tasks;
pub mod units;

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AlertType, AstNode, NodeLink, NodeValue, Sourcepos};
use comrak::options::{Plugins, RenderPlugins};
use comrak::{Arena, Options, format_html_with_plugins, parse_document};
use serde::{Deserialize, Serialize};

use crate::content::Kind;
use crate::slug::Anchors;

pub use articles::{Article, ArticleRef};
pub use quiz::{Question, QuestionKind};
pub use tasks::ChecklistItem;
pub use units::TextUnit;

/// The prefix of a link slot in rendered HTML.
const SLOT: &str = "zklink:";
/// A slot for the default text of a `[[wikilink]]`: `<!--zk:text:N-->`.
const TEXT_OPEN: &str = "<!--zk:text:";
/// A slot for the pages citing an article: `<!--zk:cited:第十条-->`.
pub(crate) const CITED_OPEN: &str = "<!--zk:cited:";
const SLOT_CLOSE: &str = "-->";
pub(crate) const CITED_CLOSE: &str = SLOT_CLOSE;

/// How to render.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Keep raw HTML (default: omitted).
    pub allow_html: bool,
    /// The page's kind: regulations get articles, checklists interactive
    /// items.
    pub kind: Kind,
}

/// Something worth a warning, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Something that stops the build, at a line and column of the file (a
/// quiz question without an answer, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to put it right.
    pub hint: Option<String>,
}

/// What kind of reference a [`LinkRef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// `[text](path.md#anchor)`.
    Link,
    /// `![alt](file.png)`.
    Image,
    /// `[[target#第十条|text]]`: target is a title, slug or content path.
    Wiki {
        /// No `|text` was given: the text is filled in from the target.
        default_text: bool,
    },
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Its anchor id, unique in the page.
    pub id: String,
    /// Its plain text.
    pub text: String,
}

/// A link or image in a page that points inside the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRef {
    /// The destination as written.
    pub url: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the line.
    pub column: usize,
    /// Link, image or wikilink.
    pub kind: LinkKind,
}

/// A page's rendered Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    /// HTML with `zklink:N` slots for the internal links.
    pub html: html::Html,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Terms of definition lists (`<dt>`), in document order, with anchors
    /// as headings have (level 0): a glossary's terms can be linked to
    /// (`glossary.md#三会一课`) and found by search.
    pub terms: Vec<Heading>,
    /// Internal links; slot N is `links[N]`.
    pub links: Vec<LinkRef>,
    /// Plain text of the first paragraph, shortened, with a
    /// [`units::LINK_TEXT_OPEN`] marker where a `[[wikilink]]` shows its
    /// default text; [`summary_text`] fills them in.
    pub summary: String,
    /// Articles (regulation pages only).
    pub articles: Vec<Article>,
    /// Checklist items (checklist pages only).
    pub items: Vec<ChecklistItem>,
    /// Quiz questions (quiz pages and `> [!测验]` blocks).
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Links (by number) whose target article is quoted beside a quiz
    /// explanation: `<!--zk:quote:N-->` slots.
    #[serde(default)]
    pub quotes: Vec<usize>,
    /// Errors found while rendering (quiz questions); the build stops.
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// Warnings: article numbering, repeated checklist items.
    pub notes: Vec<Note>,
    /// The text cut into search units (opening, headings, articles).
    pub units: Vec<TextUnit>,
    /// Whether there is a code block (its page needs the highlight styles).
    pub has_code: bool,
    /// Why the page could not be rendered at all (nesting past
    /// [`MAX_NESTING`]); everything else is then empty.
    pub error: Option<Note>,
}

/// Block quotes, lists, emphasis and links may nest this deep in a page, no
/// deeper. Real pages stay far below it; 50,000 `>` on one line used to
/// overflow the stack and abort the build (and the dev server).
pub const MAX_NESTING: usize = 100;

/// The first line that opens more than [`MAX_NESTING`] block quotes or
/// list items at its start (`>>>>…`, `- - - …`), found before parsing:
/// comrak's time grows with that nesting squared (50,000 `>`: 11 s).
fn deep_line(body: &str) -> Option<usize> {
    body.lines()
        .position(|line| {
            let mut depth = 0;
            let mut rest = line.trim_start();
            loop {
                let marker = rest
                    .strip_prefix('>')
                    .or_else(|| ["- ", "* ", "+ "].iter().find_map(|m| rest.strip_prefix(m)))
                    .or_else(|| {
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        (1..=9)
                            .contains(&digits)
                            .then(|| &rest[digits..])
                            .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
                    });
                match marker {
                    Some(after) => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            return true;
                        }
                        rest = after.trim_start();
                    }
                    None => return false,
                }
            }
        })
        .map(|i| i + 1)
}

/// The first node nested deeper than [`MAX_NESTING`], by its line in the
/// body. Walked with a list, not recursion, for the same reason.
fn too_deep<'a>(root: &'a AstNode<'a>) -> Option<usize> {
    let mut todo = vec![(root, 0usize)];
    while let Some((node, depth)) = todo.pop() {
        if depth > MAX_NESTING {
            return Some(node.data().sourcepos.start.line.max(1));
        }
        todo.extend(node.children().map(|child| (child, depth + 1)));
    }
    None
}

/// Renders a page body. `line_offset` is the number of file lines before
/// the body, so link positions name lines of the file.
pub fn render(body: &str, line_offset: usize, opts: MarkdownOptions) -> Rendered {
    let options = comrak_options(opts);
    let arena = Arena::new();
    let mut out = Rendered::default();
    let deep = deep_line(body);
    let root = parse_document(&arena, if deep.is_some() { "" } else { body }, &options);
    if let Some(line) = deep.or_else(|| too_deep(root)) {
        out.error = Some(Note {
            line: line + line_offset,
            message: crate::tr!("site.markdown.too_deep", max = MAX_NESTING),
        });
        return out;
    }
    collect(&arena, root, body, line_offset, &mut out);
    quiz::mark_page(&arena, root, body, line_offset, opts, &options, &mut out);
    let heading_texts: Vec<String> = out.headings.iter().map(|h| h.text.clone()).collect();
    let (items, notes) = tasks::mark(
        &arena,
        root,
        &heading_texts,
        opts.kind == Kind::Checklist,
        line_offset,
    );
    out.items = items;
    out.notes = notes;
    if opts.kind == Kind::Regulation {
        out.articles = articles::mark(&arena, root, &heading_texts, line_offset);
        out.notes.extend(
            articles::check_numbering(&out.articles)
                .into_iter()
                .map(|i| Note {
                    line: i.line,
                    message: i.message,
                }),
        );
    }
    out.units = units::collect(root, &out.headings, &out.terms, &out.articles, line_offset);
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
    // Kept for the whole build, for every page: no room to spare (the
    // buffers grew by doubling; a third of them was empty).
    html.shrink_to_fit();
    for unit in &mut out.units {
        unit.text.shrink_to_fit();
    }
    out.html = html::Html::new(html);
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
    o.extension.description_lists = true;
    o.extension.wikilinks_title_after_pipe = true;
    o.render.r#unsafe = opts.allow_html;
    o.render.tasklist_classes = true;
    o
}

/// Step 2: one pass over the AST.
fn collect<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    body: &str,
    line_offset: usize,
    out: &mut Rendered,
) {
    let mut anchors = Anchors::default();
    let mut lines = LineIndex::new(body);
    let mut wiki_texts = Vec::new();
    let mut first_paragraph = None;
    let mut terms = Vec::new();
    for node in root.descendants() {
        let mut data = node.data_mut();
        let pos = data.sourcepos;
        match &mut data.value {
            NodeValue::Heading(h) => {
                let level = h.level;
                drop(data);
                let text = node.collect_text();
                let (id, text) = (anchors.unique(&text), collapse_whitespace(&text));
                out.headings.push(Heading { level, id, text });
            }
            NodeValue::DescriptionTerm => {
                drop(data);
                terms.push((node, term_heading(node, &mut anchors)));
            }
            NodeValue::Link(link) | NodeValue::Image(link) if is_internal(&link.url) => {
                let kind = if matches!(data.value, NodeValue::Image(_)) {
                    LinkKind::Image
                } else {
                    LinkKind::Link
                };
                let slot = format!("{SLOT}{}", out.links.len());
                let url = std::mem::replace(slot_url(&mut data.value), slot);
                let column = lines.char_column(pos.start.line, pos.start.column);
                out.links.push(LinkRef {
                    url,
                    line: pos.start.line + line_offset,
                    column,
                    kind,
                });
            }
            NodeValue::WikiLink(wiki) => {
                let url = std::mem::take(&mut wiki.url);
                let n = out.links.len();
                data.value = NodeValue::Link(Box::new(NodeLink {
                    url: format!("{SLOT}{n}"),
                    title: String::new(),
                }));
                drop(data);
                let default_text = node.collect_text() == url;
                if default_text {
                    wiki_texts.push((node, n));
                }
                let column = lines.char_column(pos.start.line, pos.start.column);
                out.links.push(LinkRef {
                    url,
                    line: pos.start.line + line_offset,
                    column,
                    kind: LinkKind::Wiki { default_text },
                });
            }
            NodeValue::CodeBlock(_) => out.has_code = true,
            NodeValue::Alert(alert) if alert.title.is_none() => {
                alert.title = Some(alert_title(alert.alert_type).to_string());
            }
            NodeValue::Paragraph if first_paragraph.is_none() && is_top_level(node) => {
                first_paragraph = Some(node);
            }
            _ => {}
        }
    }
    slot_wiki_texts(arena, wiki_texts);
    out.terms = mark_terms(arena, terms);
    out.summary = first_paragraph.map_or_else(String::new, summary_of);
}

/// The summary: the first paragraph's text, taken after the slots so that
/// a `[[target]]` shows what the body shows, the target's title, not the
/// target as written (issue 16).
fn summary_of<'a>(paragraph: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    units::plain_text(paragraph, &mut text);
    shorten_visible(&collapse_whitespace(&text), SUMMARY_CHARS)
}

/// A summary is cut after this many characters.
const SUMMARY_CHARS: usize = 160;

/// A summary as pages show it: each `[[wikilink]]` marker replaced by the
/// link's text (`link_texts`, from the site graph), then cut to length.
pub fn summary_text<'s>(summary: &'s str, link_texts: &[String]) -> Cow<'s, str> {
    match units::fill_link_texts(summary, link_texts) {
        Cow::Borrowed(text) => Cow::Borrowed(text),
        // Longer than the cut made here: cut again (the first cut's `…`, at
        // the end, goes with it).
        Cow::Owned(text) => Cow::Owned(shorten(&text, SUMMARY_CHARS)),
    }
}

/// Like [`shorten`], counting only the characters outside link-text
/// markers and never cutting one: the texts they stand for are not known
/// yet, so [`summary_text`] cuts again once they are.
pub(crate) fn shorten_visible(text: &str, max_chars: usize) -> String {
    let mut visible = 0;
    let mut in_marker = false;
    for (at, c) in text.char_indices() {
        match c {
            units::LINK_TEXT_OPEN => in_marker = true,
            units::LINK_TEXT_CLOSE => in_marker = false,
            _ if in_marker => {}
            _ if visible == max_chars => return format!("{}…", &text[..at]),
            _ => visible += 1,
        }
    }
    text.to_string()
}

/// `[[target]]` shows the target's title, known only once the site graph
/// is built: a slot for it replaces the link's text (after the walk:
/// comrak's arena forbids changing the tree while iterating it).
fn slot_wiki_texts<'a>(arena: &'a Arena<'a>, wiki_texts: Vec<(&'a AstNode<'a>, usize)>) {
    for (node, n) in wiki_texts {
        let children: Vec<_> = node.children().collect();
        for child in children {
            child.detach();
        }
        node.append(arena.alloc(AstNode::from(NodeValue::Raw(format!(
            "{TEXT_OPEN}{n}{SLOT_CLOSE}"
        )))));
    }
}

/// Wraps each term's text in `<dfn id="…">`, the defining instance of the
/// term, carrying its anchor: comrak's `<dt>` takes no attributes. The dfn
/// goes inside the term's paragraph, where inline HTML belongs.
/// Returns the terms.
fn mark_terms<'a>(arena: &'a Arena<'a>, terms: Vec<(&'a AstNode<'a>, Heading)>) -> Vec<Heading> {
    let raw = |html: String| arena.alloc(AstNode::from(NodeValue::Raw(html)));
    terms
        .into_iter()
        .map(|(term, heading)| {
            let inline = term
                .first_child()
                .filter(|c| matches!(c.data().value, NodeValue::Paragraph))
                .unwrap_or(term);
            inline.prepend(raw(format!("<dfn id=\"{}\">", escape_html(&heading.id))));
            inline.append(raw("</dfn>".to_string()));
            heading
        })
        .collect()
}

/// A definition-list term's anchor (unique among the page's headings and
/// terms, in document order) and text.
fn term_heading<'a>(term: &'a AstNode<'a>, anchors: &mut Anchors) -> Heading {
    let text = term.collect_text();
    let id = anchors.unique(&text);
    Heading {
        level: 0,
        id,
        text: collapse_whitespace(&text),
    }
}

/// Turns comrak's byte columns into character columns, which is what
/// editors show for CJK text. Built lazily: most pages have few links.
pub(super) struct LineIndex<'b> {
    body: &'b str,
    starts: Vec<usize>,
}

impl<'b> LineIndex<'b> {
    pub(super) fn new(body: &'b str) -> Self {
        Self {
            body,
            starts: Vec::new(),
        }
    }

    pub(super) fn char_column(&mut self, line: usize, byte_column: usize) -> usize {
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

/// What to put into the slots of rendered HTML, once the site graph is
/// known.
pub trait Slots {
    /// The URL of link N, escaped for an attribute.
    fn link(&self, n: usize) -> Cow<'_, str>;
    /// The default text of wikilink N, escaped for HTML.
    fn text(&self, n: usize) -> Cow<'_, str>;
    /// The HTML listing the pages that cite article `id` (may be empty).
    fn cited(&self, id: &str) -> Cow<'_, str>;
    /// The text of the article link N leads to, quoted beside a quiz
    /// explanation (empty where there is none).
    fn quote(&self, _n: usize) -> Cow<'_, str> {
        Cow::Borrowed("")
    }
}

/// Fills every slot in `html`. Slots only occur where this module put
/// them: `zklink:N` inside `href="…"`/`src="…"`, where comrak escapes quotes
/// in text so prose cannot produce the pattern, and `<!--zk:…-->` comments,
/// which prose cannot produce while raw HTML is omitted.
pub fn fill_slots(html: &str, slots: &dyn Slots) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    // The next of each kind of slot, as an offset into `html`: looked for
    // again only once passed, so a page of 20,000 articles (a cited-list
    // slot each) and few links is not searched to its end per slot.
    let (mut next_link, mut next_comment) = (Some(0), Some(0));
    loop {
        let done = html.len() - rest.len();
        let find = |next: &mut Option<usize>, pattern: &str| {
            if next.is_some_and(|at| at < done) || *next == Some(0) && done == 0 {
                *next = rest.find(pattern).map(|at| at + done);
            }
            next.map(|at| at - done)
        };
        let link_at = find(&mut next_link, "=\"zklink:");
        let comment_at = find(&mut next_comment, "<!--zk:");
        let at = match (link_at, comment_at) {
            (None, None) => break,
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
        };
        if Some(at) == link_at {
            let digits_start = at + "=\"zklink:".len();
            let digits = rest[digits_start..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let after = digits_start + digits;
            if digits > 0 && rest[after..].starts_with('"') {
                let n: usize = rest[digits_start..after].parse().unwrap_or(usize::MAX);
                out.push_str(&rest[..at + 2]);
                out.push_str(&slots.link(n));
                rest = &rest[after..];
                continue;
            }
            out.push_str(&rest[..digits_start]);
            rest = &rest[digits_start..];
            continue;
        }
        let body_start = at + "<!--zk:".len();
        let Some(len) = rest[body_start..].find(SLOT_CLOSE) else {
            break;
        };
        let body = &rest[body_start..body_start + len];
        out.push_str(&rest[..at]);
        if let Some(n) = body.strip_prefix("text:").and_then(|n| n.parse().ok()) {
            out.push_str(&slots.text(n));
        } else if let Some(id) = body.strip_prefix("cited:") {
            out.push_str(&slots.cited(id));
        } else if let Some(n) = body.strip_prefix("quote:").and_then(|n| n.parse().ok()) {
            out.push_str(&slots.quote(n));
        }
        rest = &rest[body_start + len + SLOT_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
