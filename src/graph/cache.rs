//! The graph stage's cache. The graph is built anew whenever the site's
//! files or anything the graph reads changed; but while an editor saves
//! one page's body again and again (`zhiku serve`), rebuilding a
//! 10,000-page graph doubled the time from the save to the reload
//! (91 → 186 ms median, examples/serve_bench). So the last successful
//! build's graph is reused whole when it is provably the same: the caller
//! named the changed files, none was created, deleted or is a section, and
//! every page read anew equals its last version in all that the graph
//! reads — front matter, value lines, links, headings, definition-list
//! terms, article numbers.
//! Only those pages' front matter and rendered bodies are swapped in (the
//! graph shares them). This is a memo with an exact key, not dependency
//! surgery: the graph is never patched, only reused whole.

use super::taxonomy::Taxonomy;
use super::{PageSource, SectionSource, SiteGraph};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;

/// The last successful build's graph, and this build's warnings until it
/// succeeds.
#[derive(Default)]
pub struct GraphCache {
    /// False for a single build: nothing is kept.
    keep: bool,
    last: Option<Kept>,
    /// The warnings of the graph this build uses.
    diagnostics: Vec<Diagnostic>,
    /// Whether this build reused the last graph.
    reused: bool,
}

struct Kept {
    graph: SiteGraph,
    taxonomies: Vec<Taxonomy>,
    diagnostics: Vec<Diagnostic>,
}

/// What the graph is built from.
pub struct Inputs<'a> {
    /// Every folder under `content/`.
    pub dirs: &'a [String],
    /// Sections' `_index.md`.
    pub sections: Vec<SectionSource>,
    /// Pages.
    pub pages: Vec<PageSource>,
    /// Other files of `content/`.
    pub assets: &'a [String],
    /// `site.toml`: the site's title, language and declared taxonomies.
    pub config: &'a Config,
    /// The files read anew by this build (the rest are as last time), when
    /// the caller named the changes and no file was created or deleted;
    /// `None` otherwise.
    pub fresh: Option<&'a [String]>,
}

impl GraphCache {
    /// A cache that keeps its entries for the next build (`keep`), or one
    /// for a single build that keeps nothing.
    pub fn new(keep: bool) -> GraphCache {
        GraphCache {
            keep,
            ..GraphCache::default()
        }
    }

    /// Stage "graph": the last graph when it is provably the same, else a
    /// new one ([`super::build_site`]). Also returns its warnings.
    pub fn build(&mut self, inputs: Inputs<'_>) -> (SiteGraph, Vec<Taxonomy>, Vec<Diagnostic>) {
        // Taken whatever happens: only a successful build keeps a graph.
        let last = self.last.take();
        self.reused = false;
        if let (Some(fresh), Some(mut last)) = (inputs.fresh, last)
            && swap_in(&mut last.graph, fresh, &inputs.pages)
        {
            self.reused = true;
            self.diagnostics = last.diagnostics.clone();
            return (last.graph, last.taxonomies, last.diagnostics);
        }
        let (graph, taxonomies, diagnostics) = super::build_site(
            inputs.dirs,
            inputs.sections,
            inputs.pages,
            inputs.assets,
            inputs.config,
        );
        if self.keep {
            self.diagnostics = diagnostics.clone();
        }
        (graph, taxonomies, diagnostics)
    }

    /// Whether the last [`GraphCache::build`] reused the graph before it.
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// The build that used `graph` succeeded: keep it for the next.
    pub fn keep(&mut self, graph: SiteGraph, taxonomies: Vec<Taxonomy>) {
        if self.keep {
            let diagnostics = std::mem::take(&mut self.diagnostics);
            self.last = Some(Kept {
                graph,
                taxonomies,
                diagnostics,
            });
        }
    }
}

/// Swaps the pages read anew into `graph` when each equals its last
/// version in all the graph reads; false (and `graph` unusable) otherwise.
fn swap_in(graph: &mut SiteGraph, fresh: &[String], pages: &[PageSource]) -> bool {
    let mut swaps = Vec::with_capacity(fresh.len());
    for rel in fresh {
        // A section, a failed file or a draft is not a page here.
        let Some(new) = pages.iter().find(|p| &p.rel == rel) else {
            return false;
        };
        let Some(i) = graph.pages.iter().position(|p| &p.source == rel) else {
            return false;
        };
        let old = &graph.pages[i];
        let same = *old.meta == *new.meta
            && old.value_lines == new.value_lines
            && old.rendered.links == new.rendered.links
            && old.rendered.headings == new.rendered.headings
            && old.rendered.terms == new.rendered.terms
            && articles(&old.rendered) == articles(&new.rendered);
        if !same {
            return false;
        }
        swaps.push((i, new));
    }
    for (i, new) in swaps {
        graph.pages[i].meta = new.meta.clone();
        graph.pages[i].rendered = new.rendered.clone();
    }
    true
}

fn articles(r: &Rendered) -> Vec<(&str, u32, u32)> {
    r.articles
        .iter()
        .map(|a| (a.id.as_str(), a.number, a.insert))
        .collect()
}

#[cfg(test)]
mod tests;
