//! The render stage: one tera context per page and section, built from the
//! site graph, rendered in parallel.
//!
//! Every URL put into a context is relative to the page being rendered and
//! names a file (`../cases/a/index.html`), so templates never build URLs
//! and the output works from disk and from any sub-path.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::graph::links::relative_url;
use crate::graph::{Page, Section, SiteGraph};
use crate::markdown::fill_links;
use crate::templates::Templates;

/// A section's pages are listed in the navigation only up to this many; a
/// larger section is reached through its own listing page, so a 10,000-page
/// site does not put 10,000 links into every page.
const NAV_PAGES_LIMIT: usize = 50;

/// A file the build produces, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `/`-separated path relative to the output root.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
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
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    date: Option<String>,
    tags: &'a [String],
    summary: &'a str,
    content: String,
    toc: Vec<TocEntry<'a>>,
    source: &'a str,
    meta: &'a crate::content::PageMeta,
}

#[derive(Serialize)]
struct PageListItem<'a> {
    title: &'a str,
    url: String,
    kind: &'static str,
    kind_label: &'static str,
    date: Option<String>,
    summary: &'a str,
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
}

/// Renders every page, every section and the 404 page.
pub fn render_all(
    config: &Config,
    graph: &SiteGraph,
    templates: &Templates,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let renderer = Renderer {
        config,
        graph,
        templates,
    };
    let pages = (0..graph.pages.len())
        .into_par_iter()
        .map(|i| renderer.page(i));
    let sections = (0..graph.sections.len())
        .into_par_iter()
        .map(|i| renderer.section(i));
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .chain(sections)
        .chain(rayon::iter::once(renderer.not_found()))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    (files, diagnostics)
}

struct Renderer<'a> {
    config: &'a Config,
    graph: &'a SiteGraph,
    templates: &'a Templates,
}

impl<'a> Renderer<'a> {
    fn page(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.graph.pages[i];
        let from = page.out_dir.as_str();
        let mut ctx = self.common(from, page.section, Some(i));
        let content = fill_links(&page.rendered.html, |n| {
            page.links.get(n).map_or("".into(), |s| s.as_str().into())
        });
        ctx.insert(
            "page",
            &PageView {
                title: &page.meta.title,
                kind: page.kind.as_str(),
                kind_label: page.kind.label(),
                date: page.meta.date.map(|d| d.to_string()),
                tags: &page.meta.tags,
                summary: page.summary(),
                content,
                toc: toc(page),
                source: &page.source,
                meta: &page.meta,
            },
        );
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

    fn section(&self, i: usize) -> Result<OutputFile, Diagnostic> {
        let section = &self.graph.sections[i];
        let from = section.out_dir.as_str();
        let mut ctx = self.common(from, i, None);
        let content = fill_links(&section.rendered.html, |n| {
            section
                .links
                .get(n)
                .map_or("".into(), |s| s.as_str().into())
        });
        ctx.insert(
            "section",
            &SectionView {
                title: &section.meta.title,
                description: section.meta.description.as_deref(),
                content,
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
            url: relative_url(from, &section.out_file()),
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
                url: relative_url(from, &page.out_file()),
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
                url: relative_url(from, &sec.out_file()),
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
            url: relative_url(from, &page.out_file()),
        }
    }

    fn list_item(&self, from: &str, page: &'a Page) -> PageListItem<'a> {
        PageListItem {
            title: &page.meta.title,
            url: relative_url(from, &page.out_file()),
            kind: page.kind.as_str(),
            kind_label: page.kind.label(),
            date: page.meta.date.map(|d| d.to_string()),
            summary: page.summary(),
        }
    }

    fn subsection(&self, from: &str, s: usize) -> SubsectionView<'a> {
        let section = &self.graph.sections[s];
        SubsectionView {
            title: &section.meta.title,
            url: relative_url(from, &section.out_file()),
            description: section.meta.description.as_deref(),
            page_count: section.pages.len(),
        }
    }
}

fn toc(page: &Page) -> Vec<TocEntry<'_>> {
    page.rendered
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .map(|h| TocEntry {
            level: h.level,
            id: &h.id,
            text: &h.text,
        })
        .collect()
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
        xml.push_str(&crate::markdown::escape_html(&format!("{base_url}{dir}")));
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
