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
            quoted: &section.quoted,
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
                total: self.pages_under(i),
                quiz: self.quiz_view(&section.out_dir, &section.rendered),
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
            path: &page.out_dir,
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
            path: &section.out_dir,
            total: self.pages_under(s),
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

    /// The pages of section `s` and of every section under it.
    pub(super) fn pages_under(&self, s: usize) -> usize {
        let section = &self.graph.sections[s];
        section.pages.len()
            + section
                .subsections
                .iter()
                .map(|&sub| self.pages_under(sub))
                .sum::<usize>()
    }

    /// The study record or the wrong-answer page: the script fills both
    /// from what this browser has kept; the page gives it the sections
    /// (for progress) and the quizzes (for scores).
    pub(super) fn study_page(&self, template: &str, path: &str) -> Result<OutputFile, Diagnostic> {
        let from = path.trim_end_matches("index.html");
        let mut ctx = self.common(from, usize::MAX, None);
        ctx.insert("breadcrumbs", &self.breadcrumbs(from, Some(0)));
        let g = self.graph;
        // In the order the navigation shows them: depth first from home.
        let mut order = Vec::with_capacity(g.sections.len());
        let mut todo = vec![0];
        while let Some(s) = todo.pop() {
            order.push(s);
            todo.extend(g.sections[s].subsections.iter().rev());
        }
        let sections: Vec<SubsectionView<'_>> = order
            .into_iter()
            .map(|s| self.subsection(from, s))
            .filter(|s| s.total > 0)
            .collect();
        ctx.insert("study_sections", &sections);
        let quizzes: Vec<QuizListItem<'_>> = g
            .sections
            .iter()
            .flat_map(|s| s.pages.iter())
            .map(|&p| &g.pages[p])
            .filter(|p| !p.rendered.questions.is_empty())
            .map(|p| QuizListItem {
                title: &p.meta.title,
                url: self.url(from, &p.out_file()),
                path: &p.out_dir,
                questions: p.rendered.questions.len(),
            })
            .collect();
        ctx.insert("quizzes", &quizzes);
        let html = self.templates.render(template, &ctx, path)?;
        Ok(OutputFile {
            path: path.into(),
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
