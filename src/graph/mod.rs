//! The site graph: every section and page, where each is written, their
//! order, and (in [`links`]) every internal link resolved.
//!
//! Built from parsed sources only, no IO:
//!
//! 1. Sections from folders (an `_index.md` gives a folder its title and
//!    settings; a folder without one still is a section).
//! 2. Pages placed in their folder's section, with their output folder.
//! 3. Output paths checked for collisions (also those that differ only in
//!    letter case, which collide on Windows and macOS disks).
//! 4. Pages and subsections sorted; previous/next computed.

pub mod cache;
pub mod links;
pub mod taxonomy;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{Date, Kind, PageMeta, SectionMeta, SortBy};
use crate::diagnostics::Diagnostic;
use crate::markdown::{Rendered, summary_text};
use crate::slug::slugify;
use crate::tr;

/// A page's source, parsed and its Markdown rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PageSource {
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    /// Front matter (shared with the memo of incremental builds).
    pub meta: Arc<PageMeta>,
    /// Rendered body (shared with the memo of incremental builds).
    pub rendered: Arc<Rendered>,
    /// Front-matter values with their file lines (see `related`).
    pub value_lines: Arc<[(String, usize)]>,
}

/// A section's `_index.md`, parsed and rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SectionSource {
    /// Path relative to `content/` (`regulations/_index.md`).
    pub rel: String,
    /// Front matter.
    pub meta: Arc<SectionMeta>,
    /// Rendered introduction.
    pub rendered: Arc<Rendered>,
}

/// A non-Markdown file in `content/`, copied next to its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to `content/`.
    pub rel: String,
    /// Output path relative to the output root.
    pub out: String,
}

/// A section of the site.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    /// The `_index.md` path, if the folder has one.
    pub source: Option<String>,
    /// Front matter (defaults when there is no `_index.md`).
    pub meta: Arc<SectionMeta>,
    /// Rendered introduction.
    pub rendered: Arc<Rendered>,
    /// Output folder relative to the output root, `""` or ending in `/`.
    pub out_dir: String,
    /// Parent section.
    pub parent: Option<usize>,
    /// Pages, in display order.
    pub pages: Vec<usize>,
    /// Child sections, in display order.
    pub subsections: Vec<usize>,
    /// Resolved URLs of the introduction's link slots (see [`links`]).
    pub links: Vec<String>,
    /// Default texts of the introduction's `[[wikilink]]` slots.
    pub link_texts: Vec<String>,
    /// The articles quoted beside quiz explanations in its introduction,
    /// by link number.
    pub quoted: Vec<(usize, Reference)>,
}

/// A page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/`.
    pub source: String,
    /// Front matter.
    pub meta: Arc<PageMeta>,
    /// Effective kind (front matter, else the section's `page_kind`).
    pub kind: Kind,
    /// The section it is in.
    pub section: usize,
    /// Output folder relative to the output root, ending in `/`.
    pub out_dir: String,
    /// Rendered body.
    pub rendered: Arc<Rendered>,
    /// Previous page in its section.
    pub prev: Option<usize>,
    /// Next page in its section.
    pub next: Option<usize>,
    /// Resolved URLs of the body's link slots (see [`links`]).
    pub links: Vec<String>,
    /// Default texts of the body's `[[wikilink]]` slots (empty for others).
    pub link_texts: Vec<String>,
    /// Front-matter values with their file lines.
    pub value_lines: Arc<[(String, usize)]>,
    /// Case: the regulation articles in `related`, resolved.
    pub related: Vec<Reference>,
    /// Regulation: the page named in `supersedes`.
    pub supersedes: Option<usize>,
    /// Regulation: the page named in `superseded_by`.
    pub superseded_by: Option<usize>,
    /// Pages whose body links here, in site order.
    pub backlinks: Vec<usize>,
    /// For each article id, the pages citing it (body links or `related`).
    pub citations: BTreeMap<String, Vec<usize>>,
    /// The articles quoted beside quiz explanations, by link number.
    pub quoted: Vec<(usize, Reference)>,
}

/// A resolved reference to a page, maybe to one of its articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The page referred to.
    pub page: usize,
    /// The article id (第十条), when the reference names one.
    pub article: Option<String>,
}

impl Page {
    /// The output file, relative to the output root.
    pub fn out_file(&self) -> String {
        format!("{}index.html", self.out_dir)
    }

    /// The summary shown in listings and descriptions: front matter, else
    /// the first paragraph with its cross-references' texts as the body
    /// shows them (known once links are resolved).
    pub fn summary(&self) -> Cow<'_, str> {
        match &self.meta.summary {
            Some(summary) => Cow::Borrowed(summary),
            None => summary_text(&self.rendered.summary, &self.link_texts),
        }
    }
}

impl Section {
    /// The output file, relative to the output root.
    pub fn out_file(&self) -> String {
        format!("{}index.html", self.out_dir)
    }
}

/// All sections and pages. Section 0 is the root (the home page).
#[derive(Debug, Clone, Default)]
pub struct SiteGraph {
    /// Sections; index 0 is the root.
    pub sections: Vec<Section>,
    /// Pages.
    pub pages: Vec<Page>,
    /// Files copied from `content/`.
    pub assets: Vec<Asset>,
}

/// Stage "graph": the graph, its links resolved, and its taxonomies.
/// Built anew every build: it costs little (76 ms at 10,000 pages), and a
/// graph patched in place is a graph that can drift from a clean build.
/// From `config`: the home page's title when `content/_index.md` sets
/// none, the declared taxonomies, and the script their terms are shown in.
pub fn build_site(
    dirs: &[String],
    sections: Vec<SectionSource>,
    pages: Vec<PageSource>,
    assets: &[String],
    config: &crate::config::Config,
) -> (SiteGraph, Vec<taxonomy::Taxonomy>, Vec<Diagnostic>) {
    let (mut graph, mut diagnostics) = build(dirs, sections, pages, assets);
    if let Some(home) = graph.sections.first_mut()
        && home.meta.title.trim().is_empty()
    {
        Arc::make_mut(&mut home.meta)
            .title
            .clone_from(&config.title);
    }
    diagnostics.extend(links::resolve(&mut graph));
    let script = crate::fold::Script::of_language(&config.language);
    let (taxonomies, more) = taxonomy::build(&graph, &config.taxonomies, script);
    diagnostics.extend(more);
    (graph, taxonomies, diagnostics)
}

/// Builds the graph. `dirs` are every folder found under `content/`.
pub fn build(
    dirs: &[String],
    sections: Vec<SectionSource>,
    pages: Vec<PageSource>,
    assets: &[String],
) -> (SiteGraph, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut graph = SiteGraph::default();
    let index_of_dir = place_sections(&mut graph, dirs, sections, &mut diagnostics);
    // Slugs (a transliteration per page) in parallel; pages kept in order.
    let built: Vec<Option<Result<Page, Diagnostic>>> = pages
        .into_par_iter()
        .map(|source| {
            let dir = parent_dir(&source.rel);
            let &section = index_of_dir.get(dir)?;
            let stem = file_stem(&source.rel);
            let slug = source.meta.slug.clone().unwrap_or_else(|| slugify(stem));
            if slug.is_empty() {
                return Some(Err(no_slug(&format!("content/{}", source.rel))));
            }
            let kind = source
                .meta
                .kind
                .or(graph.sections[section].meta.page_kind)
                .unwrap_or_default();
            Some(Ok(Page {
                out_dir: format!("{}{slug}/", graph.sections[section].out_dir),
                source: source.rel,
                meta: source.meta,
                kind,
                section,
                rendered: source.rendered,
                prev: None,
                next: None,
                links: Vec::new(),
                link_texts: Vec::new(),
                value_lines: source.value_lines,
                related: Vec::new(),
                supersedes: None,
                superseded_by: None,
                backlinks: Vec::new(),
                citations: BTreeMap::new(),
                quoted: Vec::new(),
            }))
        })
        .collect();
    for page in built.into_iter().flatten() {
        match page {
            Ok(page) => graph.pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    for rel in assets {
        let section = index_of_dir.get(parent_dir(rel)).copied().unwrap_or(0);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let mut out_name = slugify(stem);
        if out_name.is_empty() {
            out_name = "file".into();
        }
        if !ext.is_empty() {
            out_name = format!("{out_name}.{}", ext.to_ascii_lowercase());
        }
        graph.assets.push(Asset {
            rel: rel.clone(),
            out: format!("{}{out_name}", graph.sections[section].out_dir),
        });
    }
    check_collisions(&graph, &mut diagnostics);
    order(&mut graph);
    (graph, diagnostics)
}

fn place_sections(
    graph: &mut SiteGraph,
    dirs: &[String],
    sources: Vec<SectionSource>,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<String, usize> {
    let mut by_dir: HashMap<String, SectionSource> = sources
        .into_iter()
        .map(|s| (parent_dir(&s.rel).to_string(), s))
        .collect();
    let mut index_of_dir: HashMap<String, usize> = HashMap::new();
    // `dirs` comes from a sorted walk, so a parent precedes its children.
    for dir in dirs {
        let parent = if dir.is_empty() {
            None
        } else {
            match index_of_dir.get(parent_dir(dir)) {
                Some(&p) => Some::<usize>(p),
                None => continue, // inside a draft section that was left out
            }
        };
        let source = by_dir.remove(dir.as_str());
        if source.as_ref().is_some_and(|s| s.meta.draft) {
            continue;
        }
        let (meta, rendered, source_rel) = match source {
            Some(s) => (s.meta, s.rendered, Some(s.rel)),
            None => (Arc::new(default_meta(dir)), Arc::default(), None),
        };
        let out_dir = match parent {
            None => String::new(),
            Some(p) => {
                let name = dir.rsplit('/').next().unwrap_or(dir);
                let slug = meta.slug.clone().unwrap_or_else(|| slugify(name));
                if slug.is_empty() {
                    diagnostics.push(no_slug(&format!("content/{dir}")));
                    continue;
                }
                format!("{}{slug}/", graph.sections[p].out_dir)
            }
        };
        index_of_dir.insert(dir.clone(), graph.sections.len());
        graph.sections.push(Section {
            dir: dir.clone(),
            source: source_rel,
            meta,
            rendered,
            out_dir,
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
            links: Vec::new(),
            link_texts: Vec::new(),
            quoted: Vec::new(),
        });
    }
    index_of_dir
}

fn default_meta(dir: &str) -> SectionMeta {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    SectionMeta {
        title: name.to_string(),
        ..SectionMeta::default()
    }
}

fn no_slug(path: &str) -> Diagnostic {
    Diagnostic::error(path, tr!("site.graph.no_slug")).with_hint(tr!("site.graph.no_slug_hint"))
}

/// The folder part of a `/`-separated relative path (`""` at the root).
pub fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::content::discover::markdown_stem(name).unwrap_or(name)
}

fn check_collisions(graph: &SiteGraph, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let sources = graph
        .sections
        .iter()
        .map(|s| {
            (
                s.out_file(),
                s.source.clone().unwrap_or_else(|| s.dir.clone()),
            )
        })
        .chain(graph.pages.iter().map(|p| (p.out_file(), p.source.clone())))
        .chain(graph.assets.iter().map(|a| (a.out.clone(), a.rel.clone())));
    for (out, source) in sources {
        match seen.get(&out.to_lowercase()) {
            Some(first) => diagnostics.push(
                Diagnostic::error(
                    format!("content/{source}"),
                    tr!("site.graph.same_output", out = out, first = first),
                )
                .with_hint(tr!("site.graph.same_output_hint")),
            ),
            None => {
                seen.insert(out.to_lowercase(), source);
            }
        }
    }
}

fn order(graph: &mut SiteGraph) {
    for (i, page) in graph.pages.iter().enumerate() {
        graph.sections[page.section].pages.push(i);
    }
    for i in 1..graph.sections.len() {
        if let Some(p) = graph.sections[i].parent {
            graph.sections[p].subsections.push(i);
        }
    }
    let pages = &graph.pages;
    let sort_keys: Vec<String> = pages.iter().map(|p| title_key(&p.meta.title)).collect();
    for section in &mut graph.sections {
        let sort_by = section.meta.sort_by;
        section.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            weight(pa.meta.weight)
                .cmp(&weight(pb.meta.weight))
                .then_with(|| match sort_by {
                    SortBy::Date => newest_first(pa.meta.date, pb.meta.date),
                    SortBy::Weight | SortBy::Title => std::cmp::Ordering::Equal,
                })
                .then_with(|| sort_keys[a].cmp(&sort_keys[b]))
                .then_with(|| pa.source.cmp(&pb.source))
        });
    }
    let sections = graph.sections.clone();
    for (i, section) in graph.sections.iter_mut().enumerate() {
        let listed = listing_order(&sections, i);
        let position = |s: usize| listed.get(&sections[s].dir).copied().unwrap_or(usize::MAX);
        section.subsections.sort_by(|&a, &b| {
            let (sa, sb) = (&sections[a], &sections[b]);
            weight(sa.meta.weight)
                .cmp(&weight(sb.meta.weight))
                .then_with(|| position(a).cmp(&position(b)))
                .then_with(|| title_key(&sa.meta.title).cmp(&title_key(&sb.meta.title)))
                .then_with(|| sa.dir.cmp(&sb.dir))
        });
    }
    for section in &graph.sections {
        for (n, &i) in section.pages.iter().enumerate() {
            graph.pages[i].prev = n.checked_sub(1).map(|m| section.pages[m]);
            graph.pages[i].next = section.pages.get(n + 1).copied();
        }
    }
}

/// Where the introduction of section `i` first links to each folder
/// (`[案例分析](cases/_index.md)` or `(cases/)`): subsections without a
/// `weight` follow the order the home page (or a section's own page)
/// lists them in, so that the navigation reads like the list a trainer
/// wrote (issue 16). Folders it does not link to come after, by title.
fn listing_order(sections: &[Section], i: usize) -> HashMap<String, usize> {
    let section = &sections[i];
    let from = section.source.as_deref().unwrap_or_default();
    let mut listed = HashMap::new();
    for link in &section.rendered.links {
        if link.kind != crate::markdown::LinkKind::Link {
            continue;
        }
        if let Some(dir) = links::linked_folder(from, &link.url) {
            let next = listed.len();
            listed.entry(dir).or_insert(next);
        }
    }
    listed
}

fn weight(w: Option<i64>) -> i64 {
    w.unwrap_or(i64::MAX)
}

fn newest_first(a: Option<Date>, b: Option<Date>) -> std::cmp::Ordering {
    // Undated pages go last.
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Sorting Chinese titles by code point is meaningless to readers; by
/// transliteration it is alphabetical by pinyin, which is what they expect.
fn title_key(title: &str) -> String {
    slugify(title)
}

#[cfg(test)]
mod tests;
