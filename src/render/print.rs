//! A section's print page: every page of it in one document.

use super::*;

/// The print page of a section: `SECTION/print/index.html`.
pub fn print_file(section: &Section) -> String {
    format!("{}print/index.html", section.out_dir)
}

/// Whether a section gets a print page.
pub(super) fn has_print_page(section: &Section) -> bool {
    !section.pages.is_empty() && section.pages.len() <= PRINT_PAGES_LIMIT
}

impl<'a> Site<'a> {
    /// Every page of a section on one page, for handing out at a meeting.
    /// It lives beside the section's pages (`cases/print/`), at their depth,
    /// so their relative links work unchanged.
    pub(super) fn print(&self, i: usize) -> Result<OutputFile, Diagnostic> {
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
                    kind_label: self.kind_label(page.kind),
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
        let html = self.templates.render(
            "print.html",
            &ctx,
            &crate::tr!("site.render.print_page", path = path),
        )?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }
}
