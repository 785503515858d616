//! How the single-file edition links (issue 8): every page and section it
//! holds has an anchor, images are inlined.
//!
//! One section's edition leaves the rest of the site out (issue 16). A link
//! to what it does not hold (an article of a regulation elsewhere, a page,
//! a section) leads to a note at the end of the file, one per thing cited:
//! the article's text, or the page's summary, and that the rest is in the
//! full edition. Never a silent jump to the table of contents. The notes
//! are recorded as the links are made, so that every such link has its
//! note and the file holds only the notes it links to.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde::Serialize;

use crate::graph::SiteGraph;
use crate::graph::links::percent_decode;
use crate::markdown::units::fill_link_texts;

/// The anchor of a page or section in the single-file edition.
pub fn single_anchor(prefix: char, out_dir: &str) -> String {
    let path = out_dir.trim_end_matches('/').replace('/', "-");
    if path.is_empty() {
        format!("{prefix}-home")
    } else {
        format!("{prefix}-{path}")
    }
}

/// How the single-file edition links: every page and section it holds
/// has an anchor; images are inlined.
#[derive(Debug, Default)]
pub struct InFile {
    /// Output file (`cases/a/index.html`) → element id in the file.
    pub anchors: HashMap<String, String>,
    /// Output path of an image → its `data:` URL.
    pub images: HashMap<String, String>,
    /// Set for one section's edition: what it leaves out.
    pub outside: Option<Outside>,
}

impl InFile {
    /// Where a link to `target` (an output path, maybe with `#fragment`)
    /// goes in the file: `#anchor`, `#anchor#fragment` (the file's script
    /// finds the fragment inside that page), an image's data; for what the
    /// file does not hold, its note in a section's edition, or the table of
    /// contents in the whole site's (where only files that are not pages,
    /// such as a PDF, are left out).
    pub fn href(&self, graph: &SiteGraph, target: &str) -> String {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        if let Some(data) = self.images.get(path) {
            return data.clone();
        }
        match (self.anchors.get(path), fragment) {
            (Some(anchor), Some(f)) if !f.is_empty() => format!("#{anchor}#{f}"),
            (Some(anchor), _) => format!("#{anchor}"),
            (None, _) => match &self.outside {
                Some(outside) => format!("#{}", outside.cite(graph, path, fragment)),
                None => "#toc".into(),
            },
        }
    }
}

/// What one section's edition does not hold, and the notes its links to
/// that lead to.
#[derive(Debug, Default)]
pub struct Outside {
    /// The output file of every page and section left out → which it is.
    targets: HashMap<String, Target>,
    /// What the file's links have cited so far, in the site's order. A
    /// lock because `render::Site`, which holds this, is shared by the
    /// build's threads (the edition itself renders on one).
    cited: Mutex<BTreeSet<Cited>>,
}

/// A page, section or other file left out of the edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Section(usize),
    Page(usize),
    /// Not a page (a PDF beside one): its output path.
    File(String),
}

/// What a link cites of its target: all of it, a heading, or an article
/// (indices into the page's headings and articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Whole,
    Heading(usize),
    Article(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Cited {
    target: Target,
    part: Part,
}

/// One note at the end of a section's edition, as `single.html` sees it.
#[derive(Debug, Serialize)]
pub(super) struct OutsideNote<'a> {
    /// Its element id, which the links to it name.
    id: String,
    /// "article", "heading", "page", "section" or "file".
    kind: &'static str,
    /// The page's or section's title, or the file's name.
    title: Cow<'a, str>,
    /// The article (第五条之一) or heading cited.
    part: Option<&'a str>,
    /// The article's text (shortened, as the case card shows it), the
    /// page's summary or the section's description; may be empty.
    text: Cow<'a, str>,
}

impl Outside {
    /// Everything in `graph` whose output file is not one of `held`'s.
    pub fn new(graph: &SiteGraph, held: &HashMap<String, String>) -> Outside {
        let sections = graph
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.out_file(), Target::Section(i)));
        let pages = graph
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.out_file(), Target::Page(i)));
        Outside {
            targets: sections
                .chain(pages)
                .filter(|(file, _)| !held.contains_key(file))
                .collect(),
            cited: Mutex::default(),
        }
    }

    /// Records that the file links to `path` (`#fragment`), which it does
    /// not hold; returns the id of its note.
    fn cite(&self, graph: &SiteGraph, path: &str, fragment: Option<&str>) -> String {
        let target = self
            .targets
            .get(path)
            .cloned()
            .unwrap_or_else(|| Target::File(path.to_string()));
        let fragment = fragment.filter(|f| !f.is_empty()).map(percent_decode);
        let part = match (&target, fragment) {
            (Target::Page(p), Some(f)) => {
                let rendered = &graph.pages[*p].rendered;
                let article = rendered.articles.iter().position(|a| a.id == f);
                let heading = || rendered.headings.iter().position(|h| h.id == f);
                article
                    .map(Part::Article)
                    .or_else(|| heading().map(Part::Heading))
                    .unwrap_or(Part::Whole)
            }
            _ => Part::Whole,
        };
        let cited = Cited { target, part };
        let id = cited.id(graph);
        self.cited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(cited);
        id
    }

    /// The notes for what the file's links cited, in the site's order:
    /// by section, then page, then the part of it.
    pub(super) fn notes<'g>(&self, graph: &'g SiteGraph) -> Vec<OutsideNote<'g>> {
        let cited = self
            .cited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cited.iter().map(|c| c.note(graph)).collect()
    }
}

impl Cited {
    /// Its note's element id: `x-` and the target's folder (`f-` and the
    /// path for a file), then the heading's or article's id.
    fn id(&self, graph: &SiteGraph) -> String {
        let base = match &self.target {
            Target::Section(s) => single_anchor('x', &graph.sections[*s].out_dir),
            Target::Page(p) => single_anchor('x', &graph.pages[*p].out_dir),
            Target::File(path) => single_anchor('f', path),
        };
        match (&self.target, self.part) {
            (Target::Page(p), Part::Heading(h)) => {
                format!("{base}-{}", graph.pages[*p].rendered.headings[h].id)
            }
            (Target::Page(p), Part::Article(a)) => {
                format!("{base}-{}", graph.pages[*p].rendered.articles[a].id)
            }
            _ => base,
        }
    }

    fn note<'g>(&self, graph: &'g SiteGraph) -> OutsideNote<'g> {
        let id = self.id(graph);
        match &self.target {
            Target::Section(s) => {
                let section = &graph.sections[*s];
                OutsideNote {
                    id,
                    kind: "section",
                    title: Cow::Borrowed(&section.meta.title),
                    part: None,
                    text: Cow::Borrowed(section.meta.description.as_deref().unwrap_or("")),
                }
            }
            Target::Page(p) => {
                let page = &graph.pages[*p];
                let (kind, part, text) = match self.part {
                    Part::Whole => ("page", None, page.summary()),
                    Part::Heading(h) => {
                        let heading = &page.rendered.headings[h];
                        ("heading", Some(heading.text.as_str()), Cow::Borrowed(""))
                    }
                    Part::Article(a) => {
                        let article = &page.rendered.articles[a];
                        // Its cross-references as the article shows them.
                        let text = fill_link_texts(&article.text, &page.link_texts);
                        ("article", Some(article.id.as_str()), text)
                    }
                };
                OutsideNote {
                    id,
                    kind,
                    title: Cow::Borrowed(&page.meta.title),
                    part,
                    text,
                }
            }
            Target::File(path) => OutsideNote {
                id,
                kind: "file",
                title: Cow::Owned(path.rsplit('/').next().unwrap_or(path).to_string()),
                part: None,
                text: Cow::Borrowed(""),
            },
        }
    }
}

/// `relative` (a URL relative to the folder `from`) as a path from the
/// output root, fragment kept.
pub(super) fn from_root(from: &str, relative: &str) -> String {
    let (path, fragment) = match relative.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (relative, None),
    };
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    if path.is_empty() {
        parts.push("index.html");
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            seg => parts.push(seg),
        }
    }
    let mut out = parts.join("/");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}
