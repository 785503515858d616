//! What a build may reuse from the builds before it in this process
//! (`zhiku serve`, `zhiku watch`): DESIGN.md's "memoised stages, not
//! hand-written dependency surgery". Each stage owns its entry and what it
//! keeps there; this holds them together, and clears them all when the
//! configuration or the options change.
//!
//! - [`SourceCache`]: each Markdown file's front matter and rendered body;
//! - [`GraphCache`]: the last graph, reused whole only when provably the same;
//! - [`TemplateCache`]: the compiled templates;
//! - [`IndexCache`]: the search index, with a digest of its inputs;
//! - [`Written`]: what the last successful build left on disk — each
//!   output's fingerprint (`render::Reuse`), each file's revision, the
//!   index's files — trusted only while the manifest is as it left it.

use std::path::Path;

use crate::graph::cache::GraphCache;
use crate::search::stage::IndexCache;
use crate::sources::SourceCache;
use crate::templates::TemplateCache;

use super::publish::Written;

/// The stages' caches. [`Cache::default`] keeps everything for the next
/// build; [`Cache::once`] is for a single build and keeps nothing (no
/// copies, no fingerprints).
pub struct Cache {
    once: bool,
    /// The configuration and options the entries were made under.
    setting: Option<u64>,
    pub(crate) sources: SourceCache,
    pub(crate) graph: GraphCache,
    pub(crate) templates: TemplateCache,
    pub(crate) search: IndexCache,
    pub(crate) written: Option<Written>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::fresh(false)
    }
}

impl Cache {
    /// A cache for one build: nothing is kept or copied.
    pub fn once() -> Cache {
        Cache::fresh(true)
    }

    fn fresh(once: bool) -> Cache {
        let keep = !once;
        Cache {
            once,
            setting: None,
            sources: SourceCache::new(keep),
            graph: GraphCache::new(keep),
            templates: TemplateCache::new(keep),
            search: IndexCache::new(keep),
            written: None,
        }
    }

    /// Whether this cache keeps anything.
    pub(crate) fn keeps(&self) -> bool {
        !self.once
    }

    /// Starts a build under `setting` (configuration and options): a
    /// different one clears every entry.
    pub(crate) fn begin(&mut self, setting: u64) {
        if self.setting != Some(setting) {
            *self = Cache {
                setting: Some(setting),
                ..Cache::fresh(self.once)
            };
        }
    }

    /// Forgets what was written when the output folder changed under us,
    /// or the build goes elsewhere.
    pub(crate) fn check_written(&mut self, output_dir: &Path) {
        let manifest = exact_stat(&output_dir.join(crate::output::MANIFEST));
        let trusted = self.written.as_ref().is_some_and(|w| {
            w.output_dir == output_dir && w.manifest == manifest && manifest.is_some()
        });
        if !trusted {
            self.written = None;
        }
    }
}

/// A file's modified time and size, however recent.
pub(crate) fn exact_stat(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
