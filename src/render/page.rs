//! A page: its view (front matter, body with its slots filled, related
//! documents, table of contents) and its file.

use super::*;

/// A regulation's status and what readers see for it (现行有效, In force).
pub(super) fn status<'u>(page: &Page, ui: &'u Ui) -> (Option<&'static str>, Option<&'u str>) {
    match page.meta.status {
        Some(s) if page.kind == Kind::Regulation => {
            let (name, key) = match s {
                Status::Current => ("current", "status.current"),
                Status::Amended => ("amended", "status.amended"),
                Status::Repealed => ("repealed", "status.repealed"),
                Status::Draft => ("draft", "status.draft"),
            };
            (Some(name), Some(ui.text(key)))
        }
        _ => (None, None),
    }
}

/// The outline: headings (levels 2–3, and chapter headings at any level),
/// and on regulations every article under its chapter.
pub(super) fn toc(page: &Page) -> Vec<TocEntry<'_>> {
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

impl<'a> Site<'a> {
    pub(super) fn page(&self, i: usize) -> Result<OutputFile, Diagnostic> {
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
    pub(super) fn page_slots<'s>(&'s self, page: &'s Page, from: &'s str) -> PageSlots<'a, 's> {
        PageSlots {
            site: self,
            from,
            own_dir: &page.out_dir,
            links: &page.links,
            texts: &page.link_texts,
            page: Some(page),
            quoted: &page.quoted,
        }
    }

    /// Where quiz.js keeps the answers to the quizzes of a page (or a
    /// section's introduction) in `out_dir`, when it has any.
    pub(super) fn quiz_view(
        &self,
        out_dir: &str,
        rendered: &crate::markdown::Rendered,
    ) -> Option<QuizView> {
        (!rendered.questions.is_empty()).then(|| QuizView {
            key: format!(
                "zhiku:{}:quiz:{}",
                self.config.site_id,
                out_dir.trim_end_matches('/')
            ),
            questions: rendered.questions.len(),
        })
    }

    pub(super) fn page_view(&self, page: &'a Page, from: &str) -> PageView<'a> {
        let slots = self.page_slots(page, from);
        let (status, status_label) = status(page, self.ui());
        let checklist = (page.kind == Kind::Checklist).then(|| ChecklistView {
            key: format!(
                "zhiku:{}:{}",
                self.config.site_id,
                page.out_dir.trim_end_matches('/')
            ),
            items: page.rendered.items.len(),
        });
        let quiz = self.quiz_view(&page.out_dir, &page.rendered);
        PageView {
            title: &page.meta.title,
            kind: page.kind.as_str(),
            kind_label: self.kind_label(page.kind),
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
            quiz,
            articles: page.rendered.articles.len(),
            path: &page.out_dir,
            permalink: self
                .config
                .base_url
                .as_ref()
                .filter(|_| self.in_file.is_none())
                .map(|b| format!("{b}{}", page.out_dir)),
            updated: page.meta.updated.map(|d| d.to_string()),
            extra: &page.meta.extra.0,
        }
    }

    pub(super) fn related(&self, from: &str, r: &crate::graph::Reference) -> RelatedView<'a> {
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
            excerpt: article.map_or_else(
                || page.summary(),
                |a| fill_link_texts(&a.text, &page.link_texts),
            ),
        }
    }

    pub(super) fn term_links(
        &self,
        from: &str,
        taxonomy: &str,
        values: &'a [String],
    ) -> Vec<TermLink<'a>> {
        let tax = self.taxonomies.iter().find(|t| t.name == taxonomy);
        values
            .iter()
            .map(|v| {
                let term = tax.and_then(|t| t.term(v));
                TermLink {
                    // As the term's own page and the index spell it: in the
                    // site's script (issue 16).
                    name: term.map_or(v.as_str(), |t| t.name.as_str()),
                    // The single-file edition has no term pages.
                    url: term
                        .filter(|_| self.in_file.is_none())
                        .map(|term| self.url(from, &term.out_file())),
                }
            })
            .collect()
    }
}
