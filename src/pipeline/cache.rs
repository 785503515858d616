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
//!
//! With a folder on disk ([`Cache::with_disk`], `zhiku build` without
//! `--no-cache`), the source entries and what was written also outlive the
//! process (see [`crate::disk_cache`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::disk_cache::Store;

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
    /// Where the cache on disk lives, if it is used, and whether it keeps
    /// what was written too (not for a folder removed on exit).
    disk: Option<(PathBuf, bool)>,
    /// The cache on disk, opened for `setting`.
    pub(crate) store: Option<Arc<Store>>,
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
            disk: None,
            store: None,
            sources: SourceCache::new(keep),
            graph: GraphCache::new(keep),
            templates: TemplateCache::new(keep),
            search: IndexCache::new(keep),
            written: None,
        }
    }

    /// This cache also keeps its entries in `dir` (the site's
    /// [`crate::disk_cache::DIR`]) and starts from what is there.
    pub fn with_disk(mut self, dir: &Path) -> Cache {
        self.disk = Some((dir.to_path_buf(), true));
        self
    }

    /// Like [`Cache::with_disk`], for the source files only: what is
    /// written goes to a folder that does not outlive the process
    /// (`zhiku serve`'s), so there is nothing to keep about it.
    pub fn with_disk_sources(mut self, dir: &Path) -> Cache {
        self.disk = Some((dir.to_path_buf(), false));
        self
    }

    /// The cache on disk, where it keeps what was written.
    pub(crate) fn written_store(&self) -> Option<&Arc<Store>> {
        self.store
            .as_ref()
            .filter(|_| self.disk.as_ref().is_some_and(|d| d.1))
    }

    /// Whether this cache keeps anything in memory for the next build.
    pub(crate) fn keeps(&self) -> bool {
        !self.once
    }

    /// Whether what this build computes is kept, in memory or on disk.
    pub(crate) fn remembers(&self) -> bool {
        !self.once || self.store.is_some()
    }

    /// What went wrong with the cache on disk so far.
    pub(crate) fn take_notes(&self) -> Vec<String> {
        self.store
            .as_ref()
            .map(|s| s.take_notes())
            .unwrap_or_default()
    }

    /// Starts a build under `setting` (configuration and options): a
    /// different one clears every entry, and takes the entries the cache
    /// on disk holds for it.
    pub(crate) fn begin(&mut self, setting: u64) {
        if self.setting != Some(setting) {
            let disk = self.disk.take();
            *self = Cache {
                setting: Some(setting),
                ..Cache::fresh(self.once)
            };
            if let Some((dir, written)) = disk {
                let store = Arc::new(Store::new(&dir, setting));
                self.sources.attach(store.clone());
                if written {
                    self.search.digests = true;
                }
                self.store = Some(store);
                self.disk = Some((dir, written));
            }
        }
    }

    /// Forgets what was written when the output folder changed under us,
    /// or the build goes elsewhere; in a new process, takes what the cache
    /// on disk knows of the folder.
    pub(crate) fn check_written(&mut self, output_dir: &Path) {
        if self.written.is_none()
            && let Some(store) = self.written_store()
        {
            self.written = store.load(&super::publish::written_name(output_dir));
        }
        let manifest = exact_stat(&output_dir.join(crate::output::MANIFEST));
        let trusted = self.written.as_ref().is_some_and(|w| {
            w.output_dir == output_dir && w.manifest == manifest && manifest.is_some()
        });
        if !trusted {
            self.written = None;
        }
    }
}

impl Cache {
    /// When what was written is another process's record (the cache on
    /// disk), outputs removed since by hand are forgotten, so that they are
    /// rendered (or the index built) again.
    pub(crate) fn check_outputs_present(&mut self) {
        use rayon::prelude::*;
        let Some(w) = self.written.as_mut().filter(|w| !w.ours) else {
            return;
        };
        let gone = |paths: Vec<&String>| -> Vec<String> {
            paths
                .into_par_iter()
                .filter(|p| !w.output_dir.join(p.as_str()).is_file())
                .cloned()
                .collect()
        };
        for path in gone(w.outputs.keys().collect()) {
            w.outputs.remove(&path);
        }
        let gone_index = gone(w.index.files.keys().collect());
        if !gone_index.is_empty() {
            w.index.digest = None;
            for path in gone_index {
                w.index.files.remove(&path);
            }
        }
    }
}

/// A file's modified time and size, however recent.
pub(crate) fn exact_stat(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
