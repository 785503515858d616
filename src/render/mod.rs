//! The render stage: one tera context per page, section, taxonomy page and
//! print page, built from the site graph, rendered in parallel.
//!
//! Every URL put into a context is relative to the page being rendered and
//! names a file (`../cases/a/index.html`), so templates never build URLs
//! and the output works from disk and from any sub-path.
//!
//! One file per thing rendered: `page` (regulations,
//! checklists, cases, pages), `section` (sections, the home page, the
//! search and 404 pages), `taxonomy`, `print`, `single` (the single-file
//! edition's document); `nav` is what every page shows around its
//! content, `digests` the fingerprints that let a rebuild skip outputs
//! whose inputs did not change, `in_file` how that edition links,
//! [`assets`] the static files. The views (what templates see) and
//! [`render_all`] are here.

pub mod aliases;
pub mod assets;
pub mod chrome;
mod digests;
pub mod feed;
mod in_file;
mod nav;
mod page;
mod print;
mod section;
mod single;
mod taxonomy;

pub use in_file::{InFile, Outside, single_anchor};
pub use print::print_file;
pub use single::SingleFileParts;

use chrome::MenuView;
use digests::Digests;
use in_file::from_root;
use page::status;
use print::has_print_page;

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
use crate::markdown::units::fill_link_texts;
use crate::markdown::{Slots, escape_html, fill_slots};
use crate::output::OutputFile;
use crate::templates::Templates;
use crate::ui::Ui;

/// A section's pages are listed in the navigation only up to this many; a
/// larger section is reached through its own listing page, so a 10,000-page
/// site does not put 10,000 links into every page.
const NAV_PAGES_LIMIT: usize = 50;

/// Sections with more pages than this get no print page: a handout is for
/// a meeting, and a 500-page print page would be megabytes that nobody
/// prints (on the 10,000-page benchmark it doubled the output).
pub const PRINT_PAGES_LIMIT: usize = 50;

#[derive(Serialize)]
struct SiteView<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
    taxonomies: Vec<LinkView<'a>>,
    search: bool,
    /// The logo's URL from the file rendered.
    logo: Option<String>,
    /// The logo's address on the web (share previews), with `base_url`.
    logo_permalink: Option<String>,
    /// The home-screen icon iOS takes: the logo when it is a PNG.
    touch_icon: Option<String>,
    /// The name under the installed app's icon.
    short_title: &'a str,
    /// The footer's HTML, links relative to the file rendered.
    footer: Option<String>,
    menu: Vec<MenuView<'a>>,
    /// The Atom feed's URL (written when `base_url` is set).
    feed: Option<String>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// `config` in templates: what site.toml says, for templates written for
/// other generators' habits (`config.extra.…`).
#[derive(Serialize)]
struct ConfigView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
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
    excerpt: Cow<'a, str>,
}

#[derive(Serialize)]
struct QuizListItem<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
    questions: usize,
}

#[derive(Serialize)]
struct QuizView {
    key: String,
    questions: usize,
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
    kind_label: &'a str,
    date: Option<String>,
    tags: Vec<TermLink<'a>>,
    problems: Vec<TermLink<'a>>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
    summary: Cow<'a, str>,
    content: String,
    toc: Vec<TocEntry<'a>>,
    source: &'a str,
    meta: &'a crate::content::PageMeta,
    has_code: bool,
    status: Option<&'static str>,
    status_label: Option<&'a str>,
    supersedes: Option<LinkView<'a>>,
    superseded_by: Option<LinkView<'a>>,
    related: Vec<RelatedView<'a>>,
    backlinks: Vec<LinkView<'a>>,
    checklist: Option<ChecklistView>,
    /// Set when the page holds quiz questions: where quiz.js keeps the
    /// member's answers, and how many questions there are.
    quiz: Option<QuizView>,
    articles: usize,
    /// The output folder from the site root (`cases/a/`).
    path: &'a str,
    /// Its address on the web, when the site has a `base_url`.
    permalink: Option<String>,
    /// `updated` of front matter.
    updated: Option<String>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct PageListItem<'a> {
    title: &'a str,
    url: String,
    /// Its folder from the output root: the key of its reading progress.
    path: &'a str,
    kind: &'static str,
    kind_label: &'a str,
    date: Option<String>,
    summary: Cow<'a, str>,
    status: Option<&'static str>,
    status_label: Option<&'a str>,
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
    /// Its folder from the output root (`regulations/`), and its pages
    /// with those of its subsections: reading progress counts the pages
    /// studied under the folder.
    path: &'a str,
    total: usize,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    content: String,
    pages: Vec<PageListItem<'a>>,
    subsections: Vec<SubsectionView<'a>>,
    print_url: Option<String>,
    /// Its pages with those of its subsections (reading progress).
    total: usize,
    /// Set when its introduction holds a `> [!测验]` block.
    quiz: Option<QuizView>,
    /// The output folder from the site root (`cases/`; `""` at home).
    path: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
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
    kind_label: &'a str,
    pages: Vec<PageListItem<'a>>,
}

#[derive(Serialize)]
struct PrintPage<'a> {
    title: &'a str,
    kind: &'static str,
    kind_label: &'a str,
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
    /// The menu and footer, resolved.
    pub chrome: &'a chrome::Chrome,
}

/// One unit of rendering.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Job {
    Page(usize),
    Section(usize),
    Print(usize),
    Taxonomy(usize),
    Term(usize, usize),
    Search,
    NotFound,
    /// The member's study record (学习记录), `study-record/index.html`.
    Study,
    /// Every question the member got wrong (错题本), `study-record/wrong/index.html`.
    Wrong,
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
    if site.templates.has("study.html") {
        jobs.push(Job::Study);
    }
    if site.templates.has("wrong.html") {
        jobs.push(Job::Wrong);
    }
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
                Job::Study => site.study_page("study.html", STUDY_FILE),
                Job::Wrong => site.study_page("wrong.html", WRONG_FILE),
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

/// The slots of one page's or section's HTML.
struct PageSlots<'a, 's> {
    site: &'s Site<'a>,
    from: &'s str,
    /// The folder the slots' URLs were resolved from (the page's own).
    own_dir: &'s str,
    links: &'s [String],
    texts: &'s [String],
    page: Option<&'s Page>,
    /// The articles quoted beside quiz explanations (the page's or the
    /// section's).
    quoted: &'s [(usize, crate::graph::Reference)],
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
                    Cow::Owned(f.href(self.site.graph, &format!("{own}#{fragment}")))
                } else {
                    Cow::Owned(f.href(self.site.graph, &from_root(self.own_dir, url)))
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
        let mut html = format!(
            "<aside class=\"cited-by\"><span class=\"cited-by-title\">{}</span><ul>",
            escape_html(self.site.ui().text("page.cited_by"))
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

    fn quote(&self, n: usize) -> Cow<'_, str> {
        let Some((_, r)) = self.quoted.iter().find(|(link, _)| *link == n) else {
            return Cow::Borrowed("");
        };
        let related = self.site.related(self.from, r);
        let Some(article) = related.article else {
            return Cow::Borrowed("");
        };
        Cow::Owned(format!(
            "<blockquote class=\"quiz-cite\"><p>{}</p><footer><a href=\"{}\">{}</a></footer></blockquote>",
            escape_html(&related.excerpt),
            escape_html(&related.url),
            self.site.ui().html(
                "page.quoted_article",
                &[
                    ("title", &escape_html(related.title)),
                    ("article", &escape_html(article))
                ]
            )
        ))
    }
}

impl<'a> Site<'a> {
    /// The site's words, in its language.
    fn ui(&self) -> &'a Ui {
        self.templates.ui()
    }

    /// What readers see for a kind of page (条例, Regulation).
    fn kind_label(&self, kind: Kind) -> &'a str {
        self.ui().text(match kind {
            Kind::Page => "kind.page",
            Kind::Regulation => "kind.regulation",
            Kind::Checklist => "kind.checklist",
            Kind::Case => "kind.case",
            Kind::Quiz => "kind.quiz",
        })
    }

    /// A taxonomy's title: the built-in ones' in the site's language.
    fn taxonomy_title(&self, taxonomy: &'a Taxonomy) -> &'a str {
        match taxonomy.name.as_str() {
            "tags" => self.ui().text("taxonomy.tags"),
            "problems" => self.ui().text("taxonomy.problems"),
            _ => &taxonomy.title,
        }
    }

    /// The URL of the output file `to` (maybe with a fragment) in a file
    /// in the folder `from`: relative, or in-file for the single-file
    /// edition.
    fn url(&self, from: &str, to: &str) -> String {
        match self.in_file {
            Some(f) => f.href(self.graph, to),
            None => relative_url(from, to),
        }
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
            Job::Study => STUDY_FILE.into(),
            Job::Wrong => WRONG_FILE.into(),
        }
    }
}

/// Where the study record and the wrong-answer page are written.
pub const STUDY_FILE: &str = "study-record/index.html";
pub const WRONG_FILE: &str = "study-record/wrong/index.html";

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
