//! The render stage: one tera context per page, section, taxonomy page and
//! print page, built from the site graph, rendered in parallel.
//!
//! Every URL put into a context is relative to the page being rendered and
//! names a file (`../cases/a/index.html`), so templates never build URLs
//! and the output works from disk and from any sub-path.

pub mod assets;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::content::{Kind, Status};
use crate::diagnostics::Diagnostic;
use crate::graph::links::relative_url;
use crate::graph::taxonomy::Taxonomy;
use crate::graph::{Page, Section, SiteGraph};
use crate::hash::{self, FastHasher};
use crate::markdown::{Slots, escape_html, fill_slots};
use crate::output::OutputFile;
use crate::templates::Templates;

/// A section's pages are listed in the navigation only up to this many; a
/// larger section is reached through its own listing page, so a 10,000-page
/// site does not put 10,000 links into every page.
const NAV_PAGES_LIMIT: usize = 50;

/// Sections with more pages than this get no print page: a handout is for
/// a meeting, and a 500-page print page would be megabytes that nobody
/// prints (on the 10,000-page benchmark it doubled the output).
pub const PRINT_PAGES_LIMIT: usize = 50;

/// Whether a section gets a print page.
fn has_print_page(section: &Section) -> bool {
    !section.pages.is_empty() && section.pages.len() <= PRINT_PAGES_LIMIT
}

#[derive(Serialize)]
struct SiteView<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
    taxonomies: Vec<LinkView<'a>>,
    search: bool,
}

#[derive(Serialize)]
struct LinkView<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
    depth: usize,
    current: bool,
    is_page: bool,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
    article: bool,
}

#[derive(Serialize)]
struct TermLink<'a> {
    name: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct TaxonomyTerms<'a> {
    title: &'a str,
    terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
struct RelatedView<'a> {
    title: &'a str,
    url: String,
    article: Option<&'a str>,
    excerpt: &'a str,
}

#[derive(Serialize)]
struct ChecklistView {
    key: String,
    items: usize,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    date: Option<String>,
    tags: Vec<TermLink<'a>>,
    problems: Vec<TermLink<'a>>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
    summary: &'a str,
    content: String,
    toc: Vec<TocEntry<'a>>,
    source: &'a str,
    meta: &'a crate::content::PageMeta,
    has_code: bool,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    supersedes: Option<LinkView<'a>>,
    superseded_by: Option<LinkView<'a>>,
    related: Vec<RelatedView<'a>>,
    backlinks: Vec<LinkView<'a>>,
    checklist: Option<ChecklistView>,
    articles: usize,
}

#[derive(Serialize)]
struct PageListItem<'a> {
    title: &'a str,
    url: String,
    kind: &'static str,
    kind_label: &'static str,
    date: Option<String>,
    summary: &'a str,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    meeting: Option<&'a str>,
    frequency: Option<&'a str>,
    organisation: Option<&'a str>,
    problems: &'a [String],
}

#[derive(Serialize)]
struct SubsectionView<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    page_count: usize,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    content: String,
    pages: Vec<PageListItem<'a>>,
    subsections: Vec<SubsectionView<'a>>,
    print_url: Option<String>,
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    kind_label: &'static str,
    pages: Vec<PageListItem<'a>>,
}

#[derive(Serialize)]
struct PrintPage<'a> {
    title: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    date: Option<String>,
    meta: &'a crate::content::PageMeta,
    content: String,
}

/// Everything the renderer needs.
pub struct Site<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The graph, links resolved.
    pub graph: &'a SiteGraph,
    /// Tags and problems.
    pub taxonomies: &'a [Taxonomy],
    /// Compiled templates.
    pub templates: &'a Templates,
    /// Set when rendering the single-file edition: links become in-file.
    pub in_file: Option<&'a InFile>,
}

/// How the single-file edition links: every page and section it holds
/// has an anchor; images are inlined.
#[derive(Debug, Default)]
pub struct InFile {
    /// Output file (`cases/a/index.html`) → element id in the file.
    pub anchors: HashMap<String, String>,
    /// Output path of an image → its `data:` URL.
    pub images: HashMap<String, String>,
}

impl InFile {
    /// Where a link to `target` (an output path, maybe with `#fragment`)
    /// goes in the file: `#anchor`, `#anchor#fragment` (the file's script
    /// finds the fragment inside that page), an image's data, or the
    /// table of contents for what the file does not hold.
    pub fn href(&self, target: &str) -> String {
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
            (None, _) => "#toc".into(),
        }
    }
}

/// `relative` (a URL relative to the folder `from`) as a path from the
/// output root, fragment kept.
fn from_root(from: &str, relative: &str) -> String {
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

/// One unit of rendering.
#[derive(Clone, Copy)]
enum Job {
    Page(usize),
    Section(usize),
    Print(usize),
    Taxonomy(usize),
    Term(usize, usize),
    Search,
    NotFound,
}

/// What the render stage produced: the files `emit` handed back (to be
/// written later), the path of every file, and the faults.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Files to write once the build has succeeded.
    pub kept: Vec<OutputFile>,
    /// Every output path rendered (or reused).
    pub paths: Vec<String>,
    /// Template faults.
    pub diagnostics: Vec<Diagnostic>,
    /// With [`Reuse`]: every output's fingerprint, and how many were reused.
    pub fingerprints: HashMap<String, u64>,
    /// Outputs not rendered because their fingerprint had not changed.
    pub reused: usize,
}

/// What a rebuild may reuse: the fingerprints of the files the previous
/// successful build wrote (still on disk). An output whose fingerprint is
/// unchanged is not rendered again (DESIGN.md: memoised stages).
pub struct Reuse<'r> {
    /// A digest of each source file's bytes, by path relative to `content/`.
    pub digest: &'r (dyn Fn(&str) -> u64 + Sync),
    /// A digest of the configuration.
    pub config: u64,
    /// The previous build's fingerprints, by output path.
    pub previous: &'r HashMap<String, u64>,
}

/// Renders every page, section, print page, taxonomy page and the 404
/// page, in parallel, handing each file to `emit` as soon as it exists (so
/// the site never sits in memory whole); `emit` returns the files it wants
/// kept.
pub fn render_all(
    site: &Site<'_>,
    emit: &(dyn Fn(OutputFile) -> Option<OutputFile> + Sync),
    reuse: Option<&Reuse<'_>>,
) -> Rendered {
    let g = site.graph;
    let mut jobs: Vec<Job> = (0..g.pages.len()).map(Job::Page).collect();
    jobs.extend((0..g.sections.len()).map(Job::Section));
    jobs.extend(
        (0..g.sections.len())
            .filter(|&s| has_print_page(&g.sections[s]))
            .map(Job::Print),
    );
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        jobs.extend((0..taxonomy.terms.len()).map(|i| Job::Term(t, i)));
    }
    if site.config.search.enabled && site.templates.has("search.html") {
        jobs.push(Job::Search);
    }
    jobs.push(Job::NotFound);
    let digests = reuse.map(|r| Digests::new(site, r));
    let results: Vec<Result<Done, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let path = site.job_path(job);
            let fingerprint = digests.as_ref().map(|d| d.job(site, job));
            if let (Some(fp), Some(r)) = (fingerprint, reuse)
                && r.previous.get(&path) == Some(&fp)
            {
                return Ok(Done {
                    path,
                    kept: None,
                    fingerprint,
                    reused: true,
                });
            }
            let file = match job {
                Job::Page(i) => site.page(i),
                Job::Section(i) => site.section(i),
                Job::Print(i) => site.print(i),
                Job::Taxonomy(t) => site.taxonomy(t),
                Job::Term(t, i) => site.term(t, i),
                Job::Search => site.search_page(),
                Job::NotFound => site.not_found(),
            }?;
            debug_assert_eq!(file.path, path);
            Ok(Done {
                path,
                kept: emit(file),
                fingerprint,
                reused: false,
            })
        })
        .collect();
    let mut out = Rendered::default();
    for result in results {
        match result {
            Ok(done) => {
                if let Some(fp) = done.fingerprint {
                    out.fingerprints.insert(done.path.clone(), fp);
                }
                out.reused += usize::from(done.reused);
                out.paths.push(done.path);
                out.kept.extend(done.kept);
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    out.diagnostics = first_per_location(std::mem::take(&mut out.diagnostics));
    out
}

/// One job's outcome.
struct Done {
    path: String,
    kept: Option<OutputFile>,
    fingerprint: Option<u64>,
    reused: bool,
}

/// What each output is rendered from, as digests (DESIGN.md: "give each
/// output file a fingerprint of everything it is rendered from"). Mirrors
/// the views below: whatever a template can show of another page must be
/// in the fingerprint of the page showing it. The incremental property
/// test (tests/testsuite/incremental.rs) checks this against clean builds.
struct Digests {
    /// Everything every page shows: configuration, templates, the section
    /// tree (navigation, breadcrumbs, subsection cards, print links), the
    /// top-level pages in the navigation, the taxonomies' names.
    global: u64,
    /// A page's source (front matter, body) and how it was read (kind).
    own: Vec<u64>,
    /// How other pages show a page in links: title and address.
    shown: Vec<u64>,
    /// The section's pages as the navigation lists them (small sections).
    section_nav: Vec<u64>,
    /// Each page's terms as the taxonomies spell them and file them.
    terms: Vec<u64>,
}

impl Digests {
    fn new(site: &Site<'_>, reuse: &Reuse<'_>) -> Digests {
        let g = site.graph;
        let own: Vec<u64> = g
            .pages
            .par_iter()
            .map(|p| {
                let digest = (reuse.digest)(&p.source);
                hash::of((digest, &p.source, p.kind.as_str(), &p.out_dir, p.section))
            })
            .collect();
        let shown: Vec<u64> = g
            .pages
            .par_iter()
            .map(|p| hash::of((&p.meta.title, &p.out_dir)))
            .collect();
        let section_nav = g
            .sections
            .iter()
            .map(|s| {
                let pages = s.pages.iter().take(NAV_PAGES_LIMIT).map(|&p| shown[p]);
                hash::of((s.pages.len(), pages.collect::<Vec<_>>()))
            })
            .collect();
        let mut terms = vec![FastHasher::default(); g.pages.len()];
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            for term in &taxonomy.terms {
                for &p in &term.pages {
                    (t, &term.name, &term.out_dir).hash(&mut terms[p]);
                }
            }
        }
        let terms = terms.iter().map(Hasher::finish).collect();
        let mut h = FastHasher::default();
        reuse.config.hash(&mut h);
        site.templates.digest().hash(&mut h);
        for s in &g.sections {
            s.source.as_deref().map(reuse.digest).hash(&mut h);
            (&s.dir, &s.out_dir, &s.meta.title, s.parent, &s.subsections).hash(&mut h);
            (s.pages.len(), &s.links, &s.link_texts).hash(&mut h);
        }
        for &p in g
            .sections
            .first()
            .map_or(&[][..], |s| &s.pages[..])
            .iter()
            .take(NAV_PAGES_LIMIT)
        {
            shown[p].hash(&mut h);
        }
        for t in site.taxonomies {
            (&t.name, &t.title, &t.out_dir).hash(&mut h);
        }
        Digests {
            global: h.finish(),
            own,
            shown,
            section_nav,
            terms,
        }
    }

    fn job(&self, site: &Site<'_>, job: Job) -> u64 {
        let g = site.graph;
        let mut h = FastHasher::default();
        self.global.hash(&mut h);
        match job {
            Job::Page(i) => {
                self.page(site, i, &mut h);
                self.section_nav[g.pages[i].section].hash(&mut h);
            }
            Job::Section(i) => {
                let section = &g.sections[i];
                for &p in &section.pages {
                    self.own[p].hash(&mut h);
                }
                // Subsection cards count their pages (in `global`).
            }
            Job::Print(i) => {
                for &p in &g.sections[i].pages {
                    self.page(site, p, &mut h);
                }
            }
            Job::Taxonomy(t) => {
                for term in &site.taxonomies[t].terms {
                    (&term.name, &term.out_dir, term.pages.len()).hash(&mut h);
                }
            }
            Job::Term(t, i) => {
                let term = &site.taxonomies[t].terms[i];
                (t, &term.name, &term.out_dir).hash(&mut h);
                for &p in &term.pages {
                    self.own[p].hash(&mut h);
                }
            }
            Job::Search => 1.hash(&mut h),
            Job::NotFound => 2.hash(&mut h),
        }
        h.finish()
    }

    /// A page's own view: its source, neighbours, links and the pages
    /// linking to it, its terms as the taxonomies spell them.
    fn page(&self, site: &Site<'_>, i: usize, h: &mut FastHasher) {
        let page = &site.graph.pages[i];
        self.own[i].hash(h);
        page.prev.map(|p| self.shown[p]).hash(h);
        page.next.map(|p| self.shown[p]).hash(h);
        (&page.links, &page.link_texts).hash(h);
        for &b in &page.backlinks {
            self.shown[b].hash(h);
        }
        for (id, citing) in &page.citations {
            id.hash(h);
            for &c in citing {
                self.shown[c].hash(h);
            }
        }
        for r in &page.related {
            // The view shows the target's article text or summary.
            (self.own[r.page], self.shown[r.page], &r.article).hash(h);
        }
        page.supersedes.map(|p| self.shown[p]).hash(h);
        page.superseded_by.map(|p| self.shown[p]).hash(h);
        self.terms[i].hash(h);
    }
}

/// What the single-file edition puts around the pages: the stylesheet
/// and scripts to inline, and its search data.
#[derive(Debug, Default)]
pub struct SingleFileParts {
    /// What the edition holds, for its title ("全站" or a section's title).
    pub scope: String,
    /// The stylesheets, concatenated.
    pub css: String,
    /// The scripts, concatenated.
    pub js: String,
    /// A script defining the search data (`window.zhikuSearchInline`).
    pub search: String,
}

#[derive(Serialize)]
struct SinglePart<'a> {
    /// "section" or "page".
    kind: &'static str,
    anchor: String,
    title: &'a str,
    depth: usize,
    /// A section's introduction.
    content: String,
    page: Option<PageView<'a>>,
}

/// The anchor of a page or section in the single-file edition.
pub fn single_anchor(prefix: char, out_dir: &str) -> String {
    let path = out_dir.trim_end_matches('/').replace('/', "-");
    if path.is_empty() {
        format!("{prefix}-home")
    } else {
        format!("{prefix}-{path}")
    }
}

/// The slots of one page's or section's HTML.
struct PageSlots<'a, 's> {
    site: &'s Site<'a>,
    from: &'s str,
    /// The folder the slots' URLs were resolved from (the page's own).
    own_dir: &'s str,
    links: &'s [String],
    texts: &'s [String],
    page: Option<&'s Page>,
}

impl Slots for PageSlots<'_, '_> {
    fn link(&self, n: usize) -> Cow<'_, str> {
        let Some(url) = self.links.get(n) else {
            return Cow::Borrowed("");
        };
        match self.site.in_file {
            // Resolved relative to the page's own folder, like every link
            // (external links and in-page fragments stay as they are).
            Some(f) if !url.contains("://") && !url.starts_with("mailto:") && !url.is_empty() => {
                if let Some(fragment) = url.strip_prefix('#') {
                    let own = from_root(self.own_dir, "index.html");
                    Cow::Owned(f.href(&format!("{own}#{fragment}")))
                } else {
                    Cow::Owned(f.href(&from_root(self.own_dir, url)))
                }
            }
            _ => Cow::Borrowed(url.as_str()),
        }
    }

    fn text(&self, n: usize) -> Cow<'_, str> {
        self.texts
            .get(n)
            .map_or(Cow::Borrowed(""), |s| Cow::Owned(escape_html(s)))
    }

    fn cited(&self, id: &str) -> Cow<'_, str> {
        let Some(citing) = self
            .page
            .and_then(|p| p.citations.get(id))
            .filter(|c| !c.is_empty())
        else {
            return Cow::Borrowed("");
        };
        let mut html = String::from(
            "<aside class=\"cited-by\"><span class=\"cited-by-title\">本条被引用</span><ul>",
        );
        for &c in citing {
            let page = &self.site.graph.pages[c];
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape_html(&self.site.url(self.from, &page.out_file())),
                escape_html(&page.meta.title)
            ));
        }
        html.push_str("</ul></aside>");
        Cow::Owned(html)
    }
}

fn status(page: &Page) -> (Option<&'static str>, Option<&'static str>) {
    match page.meta.status {
        Some(s) if page.kind == Kind::Regulation => {
            let (name, label) = match s {
                Status::Current => ("current", "现行有效"),
                Status::Amended => ("amended", "已修订"),
                Status::Repealed => ("repealed", "已废止"),
                Status::Draft => ("draft", "草案"),
            };
            (Some(name), Some(label))
        }
        _ => (None, None),
    }
}

impl<'a> Site<'a> {
    /// The URL of the output file `to` (maybe with a fragment) in a file
    /// in the folder `from`: relative, or in-file for the single-file
    /// edition.
    fn url(&self, from: &str, to: &str) -> String {
        match self.in_file {
            Some(f) => f.href(to),
            None => relative_url(from, to),
        }
    }

    /// The single-file edition: the `sections` (in order, each with its
    /// pages) in one document rendered with `single.html`, links in-file
    /// (`in_file` must be set), stylesheet and scripts inlined.
    pub fn single_file(
        &self,
        sections: &[(usize, usize)],
        parts: &SingleFileParts,
    ) -> Result<String, Diagnostic> {
        let g = self.graph;
        let mut out = Vec::new();
        for &(s, depth) in sections {
            let section = &g.sections[s];
            let slots = PageSlots {
                site: self,
                from: "",
                own_dir: &section.out_dir,
                links: &section.links,
                texts: &section.link_texts,
                page: None,
            };
            out.push(SinglePart {
                kind: "section",
                anchor: single_anchor('s', &section.out_dir),
                title: if s == 0 {
                    &self.config.title
                } else {
                    &section.meta.title
                },
                depth,
                content: fill_slots(&section.rendered.html, &slots),
                page: None,
            });
            for &p in &section.pages {
                let page = &g.pages[p];
                out.push(SinglePart {
                    kind: "page",
                    anchor: single_anchor('p', &page.out_dir),
                    title: &page.meta.title,
                    depth: depth + 1,
                    content: String::new(),
                    page: Some(self.page_view(page, "")),
                });
            }
        }
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView {
                id: &self.config.site_id,
                title: &self.config.title,
                description: &self.config.description,
                language: &self.config.language,
                base_url: None,
                taxonomies: Vec::new(),
                search: !parts.search.is_empty(),
            },
        );
        ctx.insert("root", "");
        ctx.insert("scope", &parts.scope);
        ctx.insert("parts", &out);
        ctx.insert("css", &parts.css);
        ctx.insert("js", &parts.js);
        ctx.insert("search_data", &parts.search);
        self.templates
            .render("single.html", &ctx, "the single-file edition")
    }

    /// The file a job writes.
    fn job_path(&self, job: Job) -> String {
        let g = self.graph;
        match job {
            Job::Page(i) => g.pages[i].out_file(),
            Job::Section(i) => g.sections[i].out_file(),
            Job::Print(i) => print_file(&g.sections[i]),
            Job::Taxonomy(t) => self.taxonomies[t].out_file(),
            Job::Term(t, i) => self.taxonomies[t].terms[i].out_file(),
            Job::Search => "search/index.html".into(),
            Job::NotFound => "404.html".into(),
        }
    }

    fn page(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.graph.pages[i];
        let from = page.out_dir.as_str();
        let mut ctx = self.common(from, page.section, Some(i));
        ctx.insert("page", &self.page_view(page, from));
        ctx.insert("prev", &page.prev.map(|p| self.page_link(from, p)));
        ctx.insert("next", &page.next.map(|p| self.page_link(from, p)));
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, Some(page.section)));
        let template = format!("{}.html", page.kind.as_str());
        let template = if self.templates.has(&template) {
            template
        } else {
            "page.html".into()
        };
        let html = self
            .templates
            .render(&template, &ctx, &format!("content/{}", page.source))?;
        Ok(OutputFile {
            path: page.out_file(),
            bytes: html.into_bytes(),
        })
    }

    /// The slots of a page's body, filled for a file in `from`.
    fn page_slots<'s>(&'s self, page: &'s Page, from: &'s str) -> PageSlots<'a, 's> {
        PageSlots {
            site: self,
            from,
            own_dir: &page.out_dir,
            links: &page.links,
            texts: &page.link_texts,
            page: Some(page),
        }
    }

    fn page_view(&self, page: &'a Page, from: &str) -> PageView<'a> {
        let slots = self.page_slots(page, from);
        let (status, status_label) = status(page);
        let checklist = (page.kind == Kind::Checklist).then(|| ChecklistView {
            key: format!(
                "zhiku:{}:{}",
                self.config.site_id,
                page.out_dir.trim_end_matches('/')
            ),
            items: page.rendered.items.len(),
        });
        PageView {
            title: &page.meta.title,
            kind: page.kind.as_str(),
            kind_label: page.kind.label(),
            date: page.meta.date.map(|d| d.to_string()),
            tags: self.term_links(from, "tags", &page.meta.tags),
            problems: self.term_links(from, "problems", &page.meta.problems),
            taxonomies: self
                .config
                .taxonomies
                .iter()
                .filter_map(|d| {
                    let values = page.meta.taxonomies.get(&d.name)?;
                    Some(TaxonomyTerms {
                        title: &d.title,
                        terms: self.term_links(from, &d.name, values),
                    })
                })
                .collect(),
            summary: page.summary(),
            content: fill_slots(&page.rendered.html, &slots),
            toc: toc(page),
            source: &page.source,
            meta: &page.meta,
            has_code: page.rendered.has_code,
            status,
            status_label,
            supersedes: page.supersedes.map(|p| self.page_link(from, p)),
            superseded_by: page.superseded_by.map(|p| self.page_link(from, p)),
            related: page.related.iter().map(|r| self.related(from, r)).collect(),
            backlinks: page
                .backlinks
                .iter()
                .map(|&p| self.page_link(from, p))
                .collect(),
            checklist,
            articles: page.rendered.articles.len(),
        }
    }

    fn related(&self, from: &str, r: &crate::graph::Reference) -> RelatedView<'a> {
        let page = &self.graph.pages[r.page];
        let article = r
            .article
            .as_deref()
            .and_then(|id| page.rendered.articles.iter().find(|a| a.id == id));
        let target = match article {
            Some(a) => format!("{}#{}", page.out_file(), a.id),
            None => page.out_file(),
        };
        RelatedView {
            title: &page.meta.title,
            url: self.url(from, &target),
            article: article.map(|a| a.id.as_str()),
            excerpt: article.map_or(page.summary(), |a| a.text.as_str()),
        }
    }

    fn term_links(&self, from: &str, taxonomy: &str, values: &'a [String]) -> Vec<TermLink<'a>> {
        let tax = self.taxonomies.iter().find(|t| t.name == taxonomy);
        values
            .iter()
            .map(|v| TermLink {
                name: v,
                // The single-file edition has no term pages.
                url: tax
                    .filter(|_| self.in_file.is_none())
                    .and_then(|t| t.term(v))
                    .map(|term| self.url(from, &term.out_file())),
            })
            .collect()
    }

    fn section(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let section = &self.graph.sections[i];
        let from = section.out_dir.as_str();
        let mut ctx = self.common(from, i, None);
        let slots = PageSlots {
            site: self,
            from,
            own_dir: &section.out_dir,
            links: &section.links,
            texts: &section.link_texts,
            page: None,
        };
        ctx.insert(
            "section",
            &SectionView {
                title: &section.meta.title,
                description: section.meta.description.as_deref(),
                content: fill_slots(&section.rendered.html, &slots),
                pages: section
                    .pages
                    .iter()
                    .map(|&p| self.list_item(from, &self.graph.pages[p]))
                    .collect(),
                subsections: section
                    .subsections
                    .iter()
                    .map(|&s| self.subsection(from, s))
                    .collect(),
                print_url: has_print_page(section).then(|| self.url(from, &print_file(section))),
            },
        );
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, section.parent));
        let template = if i == 0 { "index.html" } else { "section.html" };
        let source = section.source.as_deref().map_or_else(
            || format!("content/{}", section.dir),
            |s| format!("content/{s}"),
        );
        let html = self.templates.render(template, &ctx, &source)?;
        Ok(OutputFile {
            path: section.out_file(),
            bytes: html.into_bytes(),
        })
    }

    /// Every page of a section on one page, for handing out at a meeting.
    /// It lives beside the section's pages (`cases/print/`), at their depth,
    /// so their relative links work unchanged.
    fn print(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let section = &self.graph.sections[i];
        let path = print_file(section);
        let from = path.trim_end_matches("index.html");
        let mut ctx = self.common(from, i, None);
        let pages: Vec<PrintPage<'_>> = section
            .pages
            .iter()
            .map(|&p| {
                let page = &self.graph.pages[p];
                let slots = self.page_slots(page, from);
                PrintPage {
                    title: &page.meta.title,
                    kind: page.kind.as_str(),
                    kind_label: page.kind.label(),
                    date: page.meta.date.map(|d| d.to_string()),
                    meta: &page.meta,
                    content: fill_slots(&page.rendered.html, &slots),
                }
            })
            .collect();
        ctx.insert(
            "section",
            &LinkView {
                title: &section.meta.title,
                url: self.url(from, &section.out_file()),
            },
        );
        ctx.insert("pages", &pages);
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, Some(i)));
        let html = self
            .templates
            .render("print.html", &ctx, &format!("{path} (print page)"))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    fn taxonomy(&self, t: usize) -> Result<OutputFile, Diagnostic> {
        let taxonomy = &self.taxonomies[t];
        let from = taxonomy.out_dir.as_str();
        let mut ctx = self.common(from, usize::MAX, None);
        let terms: Vec<TermView<'_>> = taxonomy
            .terms
            .iter()
            .map(|term| TermView {
                name: &term.name,
                url: self.url(from, &term.out_file()),
                count: term.pages.len(),
            })
            .collect();
        ctx.insert(
            "taxonomy",
            &LinkView {
                title: &taxonomy.title,
                url: "index.html".into(),
            },
        );
        ctx.insert("terms", &terms);
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, Some(0)));
        let html = self
            .templates
            .render("taxonomy.html", &ctx, &taxonomy.out_file())?;
        Ok(OutputFile {
            path: taxonomy.out_file(),
            bytes: html.into_bytes(),
        })
    }

    fn term(&self, t: usize, i: usize) -> Result<OutputFile, Diagnostic> {
        let taxonomy = &self.taxonomies[t];
        let term = &taxonomy.terms[i];
        let from = term.out_dir.as_str();
        let mut ctx = self.common(from, usize::MAX, None);
        let mut groups: Vec<KindGroup<'_>> = Vec::new();
        for kind in [Kind::Regulation, Kind::Checklist, Kind::Case, Kind::Page] {
            let pages: Vec<PageListItem<'_>> = term
                .pages
                .iter()
                .map(|&p| &self.graph.pages[p])
                .filter(|p| p.kind == kind)
                .map(|p| self.list_item(from, p))
                .collect();
            if !pages.is_empty() {
                groups.push(KindGroup {
                    kind: kind.as_str(),
                    kind_label: kind.label(),
                    pages,
                });
            }
        }
        ctx.insert(
            "taxonomy",
            &LinkView {
                title: &taxonomy.title,
                url: self.url(from, &taxonomy.out_file()),
            },
        );
        ctx.insert(
            "term",
            &TermView {
                name: &term.name,
                url: "index.html".into(),
                count: term.pages.len(),
            },
        );
        ctx.insert("groups", &groups);
        let mut crumbs = self.breadcrumbs(from, Some(0));
        crumbs.push(LinkView {
            title: &taxonomy.title,
            url: self.url(from, &taxonomy.out_file()),
        });
        ctx.insert("breadcrumbs", &crumbs);
        let html = self.templates.render("term.html", &ctx, &term.out_file())?;
        Ok(OutputFile {
            path: term.out_file(),
            bytes: html.into_bytes(),
        })
    }

    /// The full search page, `search/index.html`; it reads `?q=` itself.
    fn search_page(&self) -> Result<OutputFile, Diagnostic> {
        let from = "search/";
        let mut ctx = self.common(from, usize::MAX, None);
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, Some(0)));
        let html = self
            .templates
            .render("search.html", &ctx, "search/index.html")?;
        Ok(OutputFile {
            path: "search/index.html".into(),
            bytes: html.into_bytes(),
        })
    }

    /// The 404 page's links are relative to the output root, like every
    /// other link: correct when a server shows it for a missing page at the
    /// top level and when opened from disk; absolute links to `base_url`
    /// would make the copy on disk fetch from the web.
    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.common("", usize::MAX, None);
        ctx.insert("breadcrumbs", &Vec::<LinkView<'_>>::new());
        let html = self.templates.render("404.html", &ctx, "404.html")?;
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
        })
    }

    /// What every template gets: the site, the way to the root, navigation.
    fn common(&self, from: &str, current_section: usize, current_page: Option<usize>) -> Context {
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView {
                id: &self.config.site_id,
                title: &self.config.title,
                description: &self.config.description,
                language: &self.config.language,
                base_url: self.config.base_url.as_deref(),
                taxonomies: self
                    .taxonomies
                    .iter()
                    .map(|t| LinkView {
                        title: &t.title,
                        url: self.url(from, &t.out_file()),
                    })
                    .collect(),
                search: self.config.search.enabled,
            },
        );
        ctx.insert("root", &"../".repeat(from.matches('/').count()));
        ctx.insert("nav", &self.nav(from, current_section, current_page));
        ctx.insert("prev", &None::<()>);
        ctx.insert("next", &None::<()>);
        ctx
    }

    fn nav(
        &self,
        from: &str,
        current_section: usize,
        current_page: Option<usize>,
    ) -> Vec<NavItem<'a>> {
        let mut items = Vec::new();
        let root = &self.graph.sections[0];
        for &s in &root.subsections {
            self.nav_section(from, s, 0, current_section, current_page, &mut items);
        }
        self.nav_pages(from, root, 0, current_page, &mut items);
        items
    }

    fn nav_section(
        &self,
        from: &str,
        s: usize,
        depth: usize,
        current_section: usize,
        current_page: Option<usize>,
        items: &mut Vec<NavItem<'a>>,
    ) {
        let section = &self.graph.sections[s];
        items.push(NavItem {
            title: &section.meta.title,
            url: self.url(from, &section.out_file()),
            depth,
            current: s == current_section && current_page.is_none(),
            is_page: false,
        });
        if s == current_section && section.pages.len() <= NAV_PAGES_LIMIT {
            self.nav_pages(from, section, depth + 1, current_page, items);
        }
        for &sub in &section.subsections {
            self.nav_section(from, sub, depth + 1, current_section, current_page, items);
        }
    }

    fn nav_pages(
        &self,
        from: &str,
        section: &Section,
        depth: usize,
        current_page: Option<usize>,
        items: &mut Vec<NavItem<'a>>,
    ) {
        for &p in section.pages.iter().take(NAV_PAGES_LIMIT) {
            let page = &self.graph.pages[p];
            items.push(NavItem {
                title: &page.meta.title,
                url: self.url(from, &page.out_file()),
                depth,
                current: current_page == Some(p),
                is_page: true,
            });
        }
    }

    fn breadcrumbs(&self, from: &str, mut section: Option<usize>) -> Vec<LinkView<'a>> {
        let mut crumbs = Vec::new();
        while let Some(s) = section {
            let sec = &self.graph.sections[s];
            let title = if s == 0 {
                "首页"
            } else {
                sec.meta.title.as_str()
            };
            crumbs.push(LinkView {
                title,
                url: self.url(from, &sec.out_file()),
            });
            section = sec.parent;
        }
        crumbs.reverse();
        crumbs
    }

    fn page_link(&self, from: &str, p: usize) -> LinkView<'a> {
        let page = &self.graph.pages[p];
        LinkView {
            title: &page.meta.title,
            url: self.url(from, &page.out_file()),
        }
    }

    fn list_item(&self, from: &str, page: &'a Page) -> PageListItem<'a> {
        let (status, status_label) = status(page);
        PageListItem {
            title: &page.meta.title,
            url: self.url(from, &page.out_file()),
            kind: page.kind.as_str(),
            kind_label: page.kind.label(),
            date: page.meta.date.or(page.meta.issued).map(|d| d.to_string()),
            summary: page.summary(),
            status,
            status_label,
            meeting: page.meta.meeting.as_deref(),
            frequency: page.meta.frequency.as_deref(),
            organisation: page.meta.organisation.as_deref(),
            problems: &page.meta.problems,
        }
    }

    fn subsection(&self, from: &str, s: usize) -> SubsectionView<'a> {
        let section = &self.graph.sections[s];
        SubsectionView {
            title: &section.meta.title,
            url: self.url(from, &section.out_file()),
            description: section.meta.description.as_deref(),
            page_count: section.pages.len(),
        }
    }
}

/// The print page of a section: `SECTION/print/index.html`.
pub fn print_file(section: &Section) -> String {
    format!("{}print/index.html", section.out_dir)
}

/// The outline: headings (levels 2–3, and chapter headings at any level),
/// and on regulations every article under its chapter.
fn toc(page: &Page) -> Vec<TocEntry<'_>> {
    let articles = &page.rendered.articles;
    let mut out: Vec<TocEntry<'_>> = articles
        .iter()
        .filter(|a| a.chapter.is_none())
        .map(|a| TocEntry {
            level: 3,
            id: &a.id,
            text: &a.id,
            article: true,
        })
        .collect();
    for (i, h) in page.rendered.headings.iter().enumerate() {
        let in_chapter: Vec<_> = articles.iter().filter(|a| a.chapter == Some(i)).collect();
        if (2..=3).contains(&h.level) || !in_chapter.is_empty() {
            out.push(TocEntry {
                level: h.level.clamp(2, 3),
                id: &h.id,
                text: &h.text,
                article: false,
            });
        }
        out.extend(in_chapter.into_iter().map(|a| TocEntry {
            level: 4,
            id: &a.id,
            text: &a.id,
            article: true,
        }));
    }
    out
}

/// `sitemap.xml` with absolute URLs, when the site has a `base_url`.
pub fn sitemap(base_url: &str, graph: &SiteGraph) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let dirs = graph
        .sections
        .iter()
        .map(|s| (&s.out_dir, None))
        .chain(graph.pages.iter().map(|p| (&p.out_dir, p.meta.date)));
    for (dir, date) in dirs {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_html(&format!("{base_url}{dir}")));
        xml.push_str("</loc>");
        if let Some(date) = date {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

/// A broken template fails on every page; one report per template location
/// is enough.
pub(crate) fn first_per_location(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut diagnostics = diagnostics;
    diagnostics.sort_by(|a, b| a.message.cmp(&b.message));
    diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.path.clone(), d.line, d.column)))
        .collect()
}
