//! A section's page (and the home page), list items, the search page
//! and the 404 page.

use super::*;

impl<'a> Site<'a> {
    pub(super) fn section(&self, i: usize) -> Result<OutputFile, Diagnostic> {
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
                path: &section.out_dir,
                extra: &section.meta.extra.0,
            },
        );
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, section.parent));
        if i == 0 {
            ctx.insert("recent", &self.recent_views(from));
        }
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

    pub(super) fn list_item(&self, from: &str, page: &'a Page) -> PageListItem<'a> {
        let (status, status_label) = status(page, self.ui());
        PageListItem {
            title: &page.meta.title,
            url: self.url(from, &page.out_file()),
            kind: page.kind.as_str(),
            kind_label: self.kind_label(page.kind),
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

    pub(super) fn subsection(&self, from: &str, s: usize) -> SubsectionView<'a> {
        let section = &self.graph.sections[s];
        SubsectionView {
            title: &section.meta.title,
            url: self.url(from, &section.out_file()),
            description: section.meta.description.as_deref(),
            page_count: section.pages.len(),
        }
    }

    /// The full search page, `search/index.html`; it reads `?q=` itself.
    pub(super) fn search_page(&self) -> Result<OutputFile, Diagnostic> {
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
    pub(super) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.common("", usize::MAX, None);
        ctx.insert("breadcrumbs", &Vec::<LinkView<'_>>::new());
        let html = self.templates.render("404.html", &ctx, "404.html")?;
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
        })
    }
}
