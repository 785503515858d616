//! A taxonomy's page and each term's page.

use super::*;

impl<'a> Site<'a> {
    pub(super) fn taxonomy(&self, t: usize) -> Result<OutputFile, Diagnostic> {
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
                title: self.taxonomy_title(taxonomy),
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

    pub(super) fn term(&self, t: usize, i: usize) -> Result<OutputFile, Diagnostic> {
        let taxonomy = &self.taxonomies[t];
        let term = &taxonomy.terms[i];
        let from = term.out_dir.as_str();
        let mut ctx = self.common(from, usize::MAX, None);
        let mut groups: Vec<KindGroup<'_>> = Vec::new();
        for kind in Kind::ALL {
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
                    kind_label: self.kind_label(kind),
                    pages,
                });
            }
        }
        ctx.insert(
            "taxonomy",
            &LinkView {
                title: self.taxonomy_title(taxonomy),
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
            title: self.taxonomy_title(taxonomy),
            url: self.url(from, &taxonomy.out_file()),
        });
        ctx.insert("breadcrumbs", &crumbs);
        let html = self.templates.render("term.html", &ctx, &term.out_file())?;
        Ok(OutputFile {
            path: term.out_file(),
            bytes: html.into_bytes(),
        })
    }
}
