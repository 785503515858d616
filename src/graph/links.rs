//! Resolves every internal reference — Markdown links and images,
//! `[[wikilinks]]`, a case's `related` articles, a regulation's
//! `supersedes`/`superseded_by` — and reports the ones that do not resolve,
//! with file, line, column and the closest existing targets.
//!
//! A Markdown link is resolved against the linking file's folder in
//! `content/` (or against `content/` when it starts with `/`), so authors
//! link to what they see in their editor: `../cases/a.md#问题`. A wikilink
//! target is a page's title, slug or content path; a title matches in
//! either script (Traditional folded to Simplified, exact matches first).
//! A fragment naming an article (第十条, 第10條, 第二十条之一) finds that
//! article whatever the text's script or numerals; a heading id matches in
//! either script too. The URL written into the page is relative to
//! the page's output folder and always names a file
//! (`../../cases/a/index.html#问题`), so the site works from any sub-path
//! and from disk. Every resolved reference is kept, so backlinks are exact.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::{Reference, SiteGraph};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::fold::fold;
use crate::markdown::{ArticleRef, Heading, LinkKind, LinkRef, escape_html};
use crate::messages;
use crate::tr;

mod paths;
mod punctuation;
pub use paths::{linked_folder, normalise, percent_decode, relative_url};

/// What a content path points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Page(usize),
    Section(usize),
    Asset(usize),
}

/// Why a reference did not resolve: a message and maybe a hint.
pub type Failure = (String, Option<String>);

/// One resolved link: its URL, default text, and what it points at.
struct Resolved {
    url: String,
    text: String,
    target: Target,
    article: Option<String>,
}

/// Resolves everything; fills `links`, `link_texts`, `related`,
/// `supersedes`, `superseded_by`, `backlinks` and `citations`. Returns the
/// references that do not resolve.
pub fn resolve(graph: &mut SiteGraph) -> Vec<Diagnostic> {
    let index = Index::new(graph);
    let mut diagnostics = Vec::new();
    let mut page_links = Vec::with_capacity(graph.pages.len());
    let mut edges: Vec<(usize, Reference)> = Vec::new();
    // Pages resolve independently: in parallel, then gathered in order.
    let resolved_pages: Vec<(Vec<Option<Resolved>>, Vec<Diagnostic>)> = graph
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let from = From {
                rel: &page.source,
                out_dir: &page.out_dir,
                own: Target::Page(i),
            };
            let mut found = Vec::new();
            let resolved = resolve_all(graph, &index, &from, &page.rendered.links, &mut found);
            (resolved, found)
        })
        .collect();
    for (i, (resolved, found)) in resolved_pages.into_iter().enumerate() {
        diagnostics.extend(found);
        for r in resolved.iter().flatten() {
            if let Target::Page(p) = r.target {
                edges.push((
                    i,
                    Reference {
                        page: p,
                        article: r.article.clone(),
                    },
                ));
            }
        }
        page_links.push(resolved);
    }
    let mut section_links = Vec::with_capacity(graph.sections.len());
    for (i, section) in graph.sections.iter().enumerate() {
        let rel = section.source.clone().unwrap_or_default();
        let from = From {
            rel: &rel,
            out_dir: &section.out_dir,
            own: Target::Section(i),
        };
        section_links.push(resolve_all(
            graph,
            &index,
            &from,
            &section.rendered.links,
            &mut diagnostics,
        ));
    }
    let front_matter = resolve_front_matter(graph, &index, &mut diagnostics);
    for (page, resolved) in graph.pages.iter_mut().zip(page_links) {
        page.quoted = quoted(&page.rendered.quotes, &resolved);
        (page.links, page.link_texts) = resolved
            .into_iter()
            .map(|r| r.map_or_else(Default::default, |r| (escape_html(&r.url), r.text)))
            .unzip();
    }
    for (section, resolved) in graph.sections.iter_mut().zip(section_links) {
        section.quoted = quoted(&section.rendered.quotes, &resolved);
        (section.links, section.link_texts) = resolved
            .into_iter()
            .map(|r| r.map_or_else(Default::default, |r| (escape_html(&r.url), r.text)))
            .unzip();
    }
    for (i, fm) in front_matter.into_iter().enumerate() {
        for r in &fm.related {
            edges.push((i, r.clone()));
        }
        let page = &mut graph.pages[i];
        page.related = fm.related;
        page.supersedes = fm.supersedes;
        page.superseded_by = fm.superseded_by;
    }
    record_backlinks(graph, edges);
    diagnostics
}

/// The articles that quiz explanations quote: of the links numbered in
/// `quotes`, those resolved to an article.
fn quoted(quotes: &[usize], resolved: &[Option<Resolved>]) -> Vec<(usize, Reference)> {
    quotes
        .iter()
        .filter_map(|&n| match resolved.get(n)? {
            Some(Resolved {
                target: Target::Page(p),
                article: Some(article),
                ..
            }) => Some((
                n,
                Reference {
                    page: *p,
                    article: Some(article.clone()),
                },
            )),
            _ => None,
        })
        .collect()
}

/// Links written outside `content/` (site.toml's menu and footer),
/// resolved as Markdown links in `content/_index.md` are: each becomes the
/// path from the output root it leads to (`about/index.html`,
/// `regulations/a/index.html#第五条`) with its default text, or a message
/// and maybe a hint.
pub fn resolve_from_root(
    graph: &SiteGraph,
    links: &[LinkRef],
) -> Vec<Result<(String, String), Failure>> {
    if graph.sections.is_empty() || links.is_empty() {
        return Vec::new();
    }
    let index = Index::new(graph);
    let from = From {
        rel: "",
        out_dir: "",
        own: Target::Section(0),
    };
    links
        .iter()
        .map(|link| resolve_one(graph, &index, &from, link).map(|r| (r.url, r.text)))
        .collect()
}

struct From<'a> {
    rel: &'a str,
    out_dir: &'a str,
    own: Target,
}

/// Lookup tables: content paths, titles and slugs.
struct Index {
    paths: HashMap<String, Target>,
    titles: HashMap<String, Vec<usize>>,
    /// Titles folded to Simplified: a link may name a page in the other
    /// script (`[[社區黨支部工作規定]]` for 社区党支部工作规定), as search
    /// already lets a reader do.
    folded_titles: HashMap<String, Vec<usize>>,
    slugs: HashMap<String, Vec<usize>>,
}

impl Index {
    fn new(graph: &SiteGraph) -> Index {
        let mut paths = HashMap::new();
        for (i, s) in graph.sections.iter().enumerate() {
            paths.insert(s.dir.clone(), Target::Section(i));
            let file = if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            };
            paths.insert(file, Target::Section(i));
        }
        let mut titles: HashMap<String, Vec<usize>> = HashMap::new();
        let mut folded_titles: HashMap<String, Vec<usize>> = HashMap::new();
        let mut slugs: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in graph.pages.iter().enumerate() {
            paths.insert(p.source.clone(), Target::Page(i));
            let title = p.meta.title.trim();
            titles.entry(title.to_string()).or_default().push(i);
            folded_titles.entry(fold(title)).or_default().push(i);
            let slug = p
                .out_dir
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            slugs.entry(slug.to_string()).or_default().push(i);
        }
        for (i, a) in graph.assets.iter().enumerate() {
            paths.insert(a.rel.clone(), Target::Asset(i));
        }
        Index {
            paths,
            titles,
            folded_titles,
            slugs,
        }
    }

    /// A path written in a Markdown link, relative to the linking file.
    fn path(&self, from_rel: &str, path: &str, written: &str) -> Result<Target, Failure> {
        let base = if path.starts_with('/') {
            ""
        } else {
            super::parent_dir(from_rel)
        };
        let joined = normalise(base, path.trim_start_matches('/'))
            .ok_or_else(|| (tr!("site.links.outside", written = written), None))?;
        self.paths
            .get(joined.trim_end_matches('/'))
            .copied()
            .ok_or_else(|| {
                (
                    tr!("site.links.no_file", written = written, path = joined),
                    self.suggest_file(&joined),
                )
            })
    }

    /// A wikilink target: a title, a slug, or a content path (with or
    /// without `.md`, relative to the linking file or to `content/`); last,
    /// a title in the other script. Exact matches win: a link names the
    /// page it spells before one that only folds to the same title, and two
    /// pages that both only fold to it are ambiguous.
    /// `anchor` (the part after `#`) is kept in the suggestions, so that
    /// one can be pasted back whole.
    fn wiki(
        &self,
        graph: &SiteGraph,
        from_rel: &str,
        target: &str,
        anchor: Option<&str>,
    ) -> Result<Target, Failure> {
        let target = target.trim();
        if let Some(pages) = self.titles.get(target) {
            return one_page(graph, target, pages);
        }
        if let Some(pages) = self.slugs.get(target) {
            return one_page(graph, target, pages);
        }
        let with_md = if target.ends_with(".md") {
            target.to_string()
        } else {
            format!("{target}.md")
        };
        for base in [super::parent_dir(from_rel), ""] {
            for candidate in [target, with_md.as_str()] {
                if let Some(t) = normalise(base, candidate)
                    .and_then(|p| self.paths.get(p.trim_end_matches('/')).copied())
                {
                    return Ok(t);
                }
            }
        }
        if let Some(pages) = self.folded_titles.get(&fold(target)) {
            return one_page(graph, target, pages);
        }
        Err((
            tr!("site.links.no_page", target = target),
            self.suggest_title(graph, target, anchor),
        ))
    }

    fn suggest_file(&self, wanted: &str) -> Option<String> {
        let name = wanted.rsplit('/').next().unwrap_or(wanted);
        let mut matches: Vec<&String> = self
            .paths
            .keys()
            .filter(|k| k.rsplit('/').next() == Some(name))
            .collect();
        matches.sort();
        matches
            .first()
            .map(|m| tr!("site.links.did_you_mean", path = m))
    }

    fn suggest_title(
        &self,
        graph: &SiteGraph,
        wanted: &str,
        anchor: Option<&str>,
    ) -> Option<String> {
        let mut scored: Vec<(usize, &str)> = graph
            .pages
            .iter()
            .map(|p| {
                (
                    strsim::levenshtein(wanted, &p.meta.title),
                    p.meta.title.as_str(),
                )
            })
            .filter(|(d, t)| {
                *d <= wanted.chars().count().max(2) / 2 + 1
                    || t.contains(wanted)
                    || wanted.contains(*t)
            })
            .collect();
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        let names: Vec<String> = scored
            .iter()
            .take(3)
            .map(|(_, t)| match anchor {
                Some(anchor) => format!("[[{t}#{anchor}]]"),
                None => format!("[[{t}]]"),
            })
            .collect();
        (!names.is_empty()).then(|| {
            let titles = names.join(messages::text("site.list_separator"));
            tr!("site.links.closest_titles", titles = titles)
        })
    }
}

fn one_page(graph: &SiteGraph, target: &str, pages: &[usize]) -> Result<Target, Failure> {
    match pages {
        [one] => Ok(Target::Page(*one)),
        many => {
            let files: Vec<String> = many
                .iter()
                .map(|&i| format!("content/{}", graph.pages[i].source))
                .collect();
            let files = files.join(messages::text("site.list_separator"));
            Err((
                tr!("site.links.ambiguous", target = target, files = files),
                Some(tr!("site.links.ambiguous_hint")),
            ))
        }
    }
}

fn resolve_all(
    graph: &SiteGraph,
    index: &Index,
    from: &From<'_>,
    links: &[LinkRef],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<Resolved>> {
    links
        .iter()
        .map(|link| match resolve_one(graph, index, from, link) {
            Ok(r) => Some(r),
            Err((message, hint)) => {
                let mut d = Diagnostic::error(format!("content/{}", from.rel), message)
                    .at(link.line, link.column);
                if let Some((column, hint)) = punctuation::full_width_in_wikilink(link) {
                    d = d.at(link.line, column).with_hint(hint);
                } else if let Some(hint) = punctuation::full_width_in_address(link) {
                    d = d.with_hint(hint);
                } else if let Some(hint) = hint {
                    d = d.with_hint(hint);
                }
                diagnostics.push(d);
                None
            }
        })
        .collect()
}

fn resolve_one(
    graph: &SiteGraph,
    index: &Index,
    from: &From<'_>,
    link: &LinkRef,
) -> Result<Resolved, Failure> {
    let (path, fragment) = match link.url.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (link.url.as_str(), None),
    };
    let target = match link.kind {
        LinkKind::Wiki { .. } if path.trim().is_empty() => from.own,
        LinkKind::Wiki { .. } => index.wiki(graph, from.rel, path, fragment.as_deref())?,
        _ => {
            let path = percent_decode(path.split('?').next().unwrap_or(""));
            if path.is_empty() {
                from.own
            } else {
                index.path(from.rel, &path, &link.url)?
            }
        }
    };
    let written = &link.url;
    finish(graph, from.out_dir, target, fragment.as_deref(), written)
}

/// Checks the fragment against the target and builds the URL and default
/// text.
fn finish(
    graph: &SiteGraph,
    from_dir: &str,
    target: Target,
    fragment: Option<&str>,
    written: &str,
) -> Result<Resolved, Failure> {
    let (out_file, title, rendered, page) = match target {
        Target::Page(i) => {
            let p = &graph.pages[i];
            (
                p.out_file(),
                p.meta.title.as_str(),
                Some(&*p.rendered),
                Some(p),
            )
        }
        Target::Section(i) => {
            let s = &graph.sections[i];
            (
                s.out_file(),
                s.meta.title.as_str(),
                Some(&*s.rendered),
                None,
            )
        }
        Target::Asset(i) => (graph.assets[i].out.clone(), "", None, None),
    };
    let (headings, terms) = rendered.map_or((&[][..], &[][..]), |r| {
        (r.headings.as_slice(), r.terms.as_slice())
    });
    let mut url = relative_url(from_dir, &out_file);
    let mut text = title.to_string();
    let mut article = None;
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        let id = match (ArticleRef::parse(fragment), page) {
            (Some(r), Some(p)) if p.kind == Kind::Regulation || !p.rendered.articles.is_empty() => {
                let found = p
                    .rendered
                    .articles
                    .iter()
                    .find(|a| a.number == r.number && a.insert == r.insert);
                let a = found.ok_or_else(|| no_article(p, r, written))?;
                text = format!("《{}》{}", p.meta.title, a.id);
                article = Some(a.id.clone());
                a.id.clone()
            }
            _ => {
                let heading = find_anchor(headings, terms, fragment)
                    .ok_or_else(|| no_heading(headings, fragment, written))?;
                text = format!("{title} › {}", heading.text);
                heading.id.clone()
            }
        };
        url.push('#');
        url.push_str(&id);
    }
    Ok(Resolved {
        url,
        text,
        target,
        article,
    })
}

/// The heading or definition-list term whose id is `fragment`, else the
/// one whose id folds to the same (`#第一章-總則` for `#第一章-总则`), as
/// titles do.
fn find_anchor<'h>(
    headings: &'h [Heading],
    terms: &'h [Heading],
    fragment: &str,
) -> Option<&'h Heading> {
    let mut anchors = headings.iter().chain(terms);
    anchors.clone().find(|h| h.id == fragment).or_else(|| {
        let folded = fold(fragment);
        anchors.find(|h| fold(&h.id) == folded)
    })
}

/// The link `written` names an article `page` does not have.
fn no_article(page: &super::Page, wanted: ArticleRef, written: &str) -> Failure {
    let message = tr!(
        "site.links.no_article",
        written = written,
        title = page.meta.title,
        article = wanted.id(),
    );
    (message, Some(suggest_article(page, wanted)))
}

/// The link `written` names a heading its target does not have.
fn no_heading(headings: &[Heading], fragment: &str, written: &str) -> Failure {
    let message = tr!(
        "site.links.no_heading",
        written = written,
        fragment = fragment
    );
    (message, Some(suggest_anchor(headings)))
}

fn suggest_article(page: &super::Page, wanted: ArticleRef) -> String {
    let articles = &page.rendered.articles;
    match (articles.first(), articles.last()) {
        (Some(first), Some(last)) => {
            let near: Vec<&str> = articles
                .iter()
                .filter(|a| a.number.abs_diff(wanted.number) <= 1)
                .map(|a| a.id.as_str())
                .collect();
            let (first, last) = (&first.id, &last.id);
            if near.is_empty() {
                tr!("site.links.articles_run", first = first, last = last)
            } else {
                let near = near.join(messages::text("site.list_separator"));
                tr!(
                    "site.links.articles_run_near",
                    first = first,
                    last = last,
                    near = near
                )
            }
        }
        _ => tr!("site.links.no_articles"),
    }
}

fn suggest_anchor(headings: &[Heading]) -> String {
    if headings.is_empty() {
        return tr!("site.links.no_headings");
    }
    let separator = messages::text("site.list_separator");
    let mut ids: Vec<String> = headings
        .iter()
        .take(8)
        .map(|h| format!("#{}", h.id))
        .collect();
    if headings.len() > 8 {
        ids.push("…".into());
    }
    tr!("site.links.headings_are", ids = ids.join(separator))
}

struct FrontMatterRefs {
    related: Vec<Reference>,
    supersedes: Option<usize>,
    superseded_by: Option<usize>,
}

/// `related`, `supersedes` and `superseded_by` of every page.
fn resolve_front_matter(
    graph: &SiteGraph,
    index: &Index,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<FrontMatterRefs> {
    graph
        .pages
        .iter()
        .map(|page| {
            let mut resolve = |value: &str, key: &str| -> Option<(usize, Option<String>)> {
                let (target, fragment) = value
                    .split_once('#')
                    .map_or((value, None), |(t, f)| (t, Some(f)));
                let result =
                    index
                        .wiki(graph, &page.source, target, fragment)
                        .and_then(|t| match t {
                            Target::Page(_) => finish(graph, &page.out_dir, t, fragment, value),
                            _ => {
                                Err((tr!("site.links.not_a_page", key = key, value = value), None))
                            }
                        });
                match result {
                    Ok(Resolved {
                        target: Target::Page(p),
                        article,
                        ..
                    }) => Some((p, article)),
                    Ok(_) => None,
                    Err((message, hint)) => {
                        let line = page
                            .value_lines
                            .iter()
                            .find(|(v, _)| v == value)
                            .map_or(1, |(_, l)| *l);
                        let mut d = Diagnostic::error(
                            format!("content/{}", page.source),
                            tr!("site.links.in_front_matter", key = key, message = message),
                        )
                        .at_line(line);
                        if let Some(hint) = hint {
                            d = d.with_hint(hint);
                        }
                        diagnostics.push(d);
                        None
                    }
                }
            };
            let related = page
                .meta
                .related
                .iter()
                .filter_map(|v| {
                    resolve(v, "related").map(|(page, article)| Reference { page, article })
                })
                .collect();
            let supersedes = page
                .meta
                .supersedes
                .as_deref()
                .and_then(|v| resolve(v, "supersedes"))
                .map(|(p, _)| p);
            let superseded_by = page
                .meta
                .superseded_by
                .as_deref()
                .and_then(|v| resolve(v, "superseded_by"))
                .map(|(p, _)| p);
            FrontMatterRefs {
                related,
                supersedes,
                superseded_by,
            }
        })
        .collect()
}

/// Turns the (from, to) edges into each page's backlinks and each
/// article's citations, in site order, without duplicates.
fn record_backlinks(graph: &mut SiteGraph, edges: Vec<(usize, Reference)>) {
    let order: HashMap<usize, usize> = graph
        .sections
        .iter()
        .flat_map(|s| s.pages.iter().copied())
        .enumerate()
        .map(|(rank, page)| (page, rank))
        .collect();
    let rank = |p: &usize| order.get(p).copied().unwrap_or(usize::MAX);
    let mut backlinks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut citations: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (from, to) in edges {
        if from == to.page {
            continue;
        }
        backlinks.entry(to.page).or_default().push(from);
        if let Some(article) = to.article {
            citations.entry((to.page, article)).or_default().push(from);
        }
    }
    for (page, mut from) in backlinks {
        from.sort_by_key(rank);
        from.dedup();
        graph.pages[page].backlinks = from;
    }
    for ((page, article), mut from) in citations {
        from.sort_by_key(rank);
        from.dedup();
        graph.pages[page].citations.insert(article, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_name_the_file() {
        assert_eq!(relative_url("", "index.html"), "index.html");
        assert_eq!(
            relative_url("cases/a/", "regulations/b/index.html"),
            "../../regulations/b/index.html"
        );
        assert_eq!(
            relative_url("cases/a/", "cases/b/index.html"),
            "../b/index.html"
        );
        assert_eq!(relative_url("cases/a/", "cases/a/index.html"), "index.html");
        assert_eq!(relative_url("cases/", "index.html"), "../index.html");
        assert_eq!(relative_url("", "cases/pic.png"), "cases/pic.png");
    }

    #[test]
    fn normalises_paths_and_refuses_escapes() {
        assert_eq!(
            normalise("cases", "../regulations/a.md").as_deref(),
            Some("regulations/a.md")
        );
        assert_eq!(normalise("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(normalise("a/b", "../../../x.md"), None);
        assert_eq!(normalise("a", "b/").as_deref(), Some("a/b/"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E7%AC%AC%E5%8D%81%E6%9D%A1"), "第十条");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
