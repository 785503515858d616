//! The single-file edition's document.

use super::*;

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
pub(super) struct SinglePart<'a> {
    /// "section" or "page".
    kind: &'static str,
    anchor: String,
    title: &'a str,
    depth: usize,
    /// A section's introduction.
    content: String,
    page: Option<PageView<'a>>,
}

impl<'a> Site<'a> {
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
                quoted: &section.quoted,
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
        // After every link is made: they record what they cite.
        let outside = self
            .in_file
            .and_then(|f| f.outside.as_ref())
            .map(|o| o.notes(g))
            .unwrap_or_default();
        let mut ctx = Context::new();
        // One file has no address and no taxonomy pages.
        let site = self.site_view("", None, Vec::new(), !parts.search.is_empty());
        ctx.insert("site", &site);
        ctx.insert("root", "");
        ctx.insert("scope", &parts.scope);
        ctx.insert("parts", &out);
        ctx.insert("outside", &outside);
        ctx.insert("css", &parts.css);
        ctx.insert("js", &parts.js);
        ctx.insert("search_data", &parts.search);
        self.templates.render(
            "single.html",
            &ctx,
            crate::messages::text("site.render.single_file"),
        )
    }
}
