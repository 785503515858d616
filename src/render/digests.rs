//! Fingerprints of what each output is rendered from, so that a rebuild
//! renders only the outputs whose inputs changed.

use super::*;

/// What each output is rendered from, as digests (DESIGN.md: "give each
/// output file a fingerprint of everything it is rendered from"). Mirrors
/// the views below: whatever a template can show of another page must be
/// in the fingerprint of the page showing it. The incremental property
/// test (tests/testsuite/incremental.rs) checks this against clean builds.
pub(super) struct Digests {
    /// Everything every page shows: configuration, templates, the section
    /// tree (navigation, breadcrumbs, subsection cards, print links), the
    /// top-level pages in the navigation, the taxonomies' names.
    global: u64,
    /// A page's source (front matter, body), how it was read (kind), and
    /// its summary as listings show it: the summary's cross-references
    /// show their targets' titles, which another page's edit can change.
    own: Vec<u64>,
    /// What a listing (a section's, a term's) shows of a page: its list
    /// item's fields (`list_item`). Narrower than `own`: an edit of a
    /// page's body below its summary leaves its listings as they are.
    listed: Vec<u64>,
    /// How other pages show a page in links: title and address.
    shown: Vec<u64>,
    /// The section's pages as the navigation lists them (small sections).
    section_nav: Vec<u64>,
    /// Each page's terms as the taxonomies spell them and file them.
    terms: Vec<u64>,
}

impl Digests {
    pub(super) fn new(site: &Site<'_>, reuse: &Reuse<'_>) -> Digests {
        let g = site.graph;
        let (own, listed): (Vec<u64>, Vec<u64>) = g
            .pages
            .par_iter()
            .map(|p| {
                let digest = (reuse.digest)(&p.source);
                let summary = p.summary();
                let source = (digest, &p.source, p.kind.as_str(), &p.out_dir, p.section);
                (hash::of((source, &summary)), listed(p, &summary))
            })
            .unzip();
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
        site.chrome.digest().hash(&mut h);
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
            listed,
            shown,
            section_nav,
            terms,
        }
    }

    pub(super) fn job(&self, site: &Site<'_>, job: Job) -> u64 {
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
                self.quoted(site, &section.quoted, &mut h);
                for &p in &section.pages {
                    self.listed[p].hash(&mut h);
                }
                if i == 0 {
                    // The home page's 最近更新 list.
                    for p in super::feed::recent(g, super::feed::RECENT_ENTRIES) {
                        (self.own[p], self.shown[p]).hash(&mut h);
                    }
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
                    self.listed[p].hash(&mut h);
                }
            }
            Job::Search => 1.hash(&mut h),
            Job::NotFound => 2.hash(&mut h),
            Job::Study | Job::Wrong => {
                // The sections and their totals are in `global`; the quizzes
                // are listed by title and address.
                (3, job == Job::Wrong).hash(&mut h);
                for (i, p) in g.pages.iter().enumerate() {
                    if !p.rendered.questions.is_empty() {
                        (self.shown[i], p.rendered.questions.len()).hash(&mut h);
                    }
                }
            }
        }
        h.finish()
    }

    /// The articles quoted beside quiz explanations: their text, with the
    /// texts of the cross-references in it.
    fn quoted(
        &self,
        site: &Site<'_>,
        quoted: &[(usize, crate::graph::Reference)],
        h: &mut FastHasher,
    ) {
        for (n, r) in quoted {
            let texts = &site.graph.pages[r.page].link_texts;
            (n, self.own[r.page], self.shown[r.page], &r.article, texts).hash(h);
        }
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
            // The view shows the target's article text or summary, with
            // the texts of the cross-references in them.
            let texts = &site.graph.pages[r.page].link_texts;
            (self.own[r.page], self.shown[r.page], &r.article, texts).hash(h);
        }
        self.quoted(site, &page.quoted, h);
        page.supersedes.map(|p| self.shown[p]).hash(h);
        page.superseded_by.map(|p| self.shown[p]).hash(h);
        self.terms[i].hash(h);
    }
}

/// The digest of what `Site::list_item` shows of `page` (its labels come
/// from the templates' words, in `global`).
fn listed(page: &Page, summary: &str) -> u64 {
    let m = &page.meta;
    hash::of((
        (
            &m.title,
            &page.out_dir,
            page.kind.as_str(),
            m.date,
            m.issued,
        ),
        (summary, m.status, &m.meeting, &m.frequency, &m.organisation),
        &m.problems,
    ))
}
