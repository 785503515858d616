//! Memoised stages, for rebuilds within one process (`zhiku serve`,
//! `zhiku watch`): DESIGN.md's "memoised stages, not hand-written
//! dependency surgery". Kept between builds:
//!
//! - per Markdown file: its size and modified time, a hash of its bytes,
//!   and what reading it produced (front matter and rendered Markdown, or
//!   the error), with the page kind it was rendered as;
//! - the search index, with a digest of everything it is built from;
//! - the fingerprint of every output file the last successful build wrote
//!   ([`crate::render::Reuse`]): an output whose fingerprint has not
//!   changed is not rendered again;
//! - the compiled templates, while no template's bytes change;
//! - the last successful build's site graph. It is used again only when
//!   the caller named the changed files, none was created, deleted or is a
//!   section, and every changed page equals its last version in all that
//!   the graph reads (front matter, links, headings, article numbers):
//!   then the graph is provably the same but for those pages' bodies,
//!   which are swapped in. Any other change builds the graph anew. This is
//!   a memo with an exact key, not dependency surgery: the graph is never
//!   patched, only reused whole.
//!
//! The static files are recomputed by every build. What a file produced depends on its bytes only
//! (and on the configuration, whose change clears the memo), so file
//! entries are kept even when a build fails; what was written to disk is
//! only recorded when a build succeeds.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::graph::{PageSource, SectionSource};
use crate::output::OutputFile;
use crate::templates::Templates;

/// What a build may reuse from the builds before it. `Memo::default()`
/// keeps everything; [`Memo::once`] is for a single build and keeps
/// nothing (no copies, no fingerprints).
#[derive(Default)]
pub struct Memo {
    once: bool,
    /// The configuration and options the memo was made under.
    setting: Option<u64>,
    pub(crate) files: HashMap<String, FileMemo>,
    /// The last index built: a digest of its inputs, and its files.
    pub(crate) index: Option<(u64, Arc<Vec<OutputFile>>)>,
    /// What the last successful build left on disk.
    pub(crate) written: Option<Written>,
    /// The last successful build's site graph.
    pub(crate) graph: Option<GraphMemo>,
    /// What the last discover stage found.
    pub(crate) found: Option<Arc<crate::pipeline::Found>>,
    /// The compiled templates, with a digest of their sources.
    pub(crate) templates: Option<(u64, Arc<Templates>)>,
}

/// What the last successful build wrote, and where.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub(crate) output_dir: PathBuf,
    /// The manifest's size and modified time: if they changed, someone
    /// else wrote there, and nothing on disk can be trusted.
    pub(crate) manifest: Option<(SystemTime, u64)>,
    /// Fingerprints of rendered outputs, by path.
    pub(crate) outputs: HashMap<String, u64>,
    /// Every file's revision (`offline::revision`), by path.
    pub(crate) revisions: HashMap<String, u64>,
    /// Search index files, by path: a hash of their bytes.
    pub(crate) index: HashMap<String, u64>,
    /// The index digest those files were built from (`None`: deferred).
    pub(crate) index_digest: Option<u64>,
}

/// A site graph with what was derived from it.
pub(crate) struct GraphMemo {
    pub(crate) graph: crate::graph::SiteGraph,
    pub(crate) taxonomies: Vec<crate::graph::taxonomy::Taxonomy>,
    /// Warnings found building it (errors fail the build: not kept).
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// One Markdown file, as last read.
#[derive(Debug, Clone)]
pub(crate) struct FileMemo {
    pub(crate) stat: Stat,
    pub(crate) hash: u64,
    pub(crate) result: Memoised,
    /// A warning from reading it (a page without content).
    pub(crate) warning: Option<Diagnostic>,
}

/// What a file produced.
#[derive(Debug, Clone)]
// One per file, kept: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Memoised {
    /// A page, its body rendered as `kind`.
    Page(PageSource, Kind),
    Section(SectionSource),
    /// A draft, left out.
    Skipped,
    Failed(Diagnostic),
}

impl Memo {
    /// A memo for one build: nothing is kept or copied.
    pub fn once() -> Memo {
        Memo {
            once: true,
            ..Memo::default()
        }
    }

    /// Whether this memo keeps anything.
    pub(crate) fn keeps(&self) -> bool {
        !self.once
    }

    /// Starts a build under `setting` (configuration and options): a
    /// different one clears the memo.
    pub(crate) fn begin(&mut self, setting: u64) {
        if self.setting != Some(setting) {
            *self = Memo {
                once: self.once,
                setting: Some(setting),
                ..Memo::default()
            };
        }
    }

    /// Forgets what was written (the output folder changed under us, or
    /// the build goes elsewhere).
    pub(crate) fn check_written(&mut self, output_dir: &std::path::Path) {
        let manifest = exact_stat(&output_dir.join(crate::output::MANIFEST));
        let trusted = self.written.as_ref().is_some_and(|w| {
            w.output_dir == output_dir && w.manifest == manifest && manifest.is_some()
        });
        if !trusted {
            self.written = None;
        }
    }

    /// The digest of a source file's bytes (0 if it was not read).
    pub(crate) fn digest(&self, rel: &str) -> u64 {
        self.files.get(rel).map_or(0, |f| f.hash)
    }
}

/// A file's modified time and size, when they can be trusted to change
/// with its bytes.
pub(crate) type Stat = Option<(SystemTime, u64)>;

/// File systems keep modified times in coarse steps (a few milliseconds on
/// Linux): a file changed again within this long after it was read may
/// keep its time and size. Such a file's stat is not trusted; its bytes
/// are compared (git's "racily clean" entries).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// A file's modified time and size (`None` when unknown), and whether
/// they are too recent to be trusted by the next build.
pub(crate) fn stat(path: &std::path::Path) -> Stat {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let recent = SystemTime::now()
        .duration_since(modified)
        .map_or(true, |age| age < RACY);
    (!recent).then_some((modified, meta.len()))
}

/// A file's modified time and size, however recent.
pub(crate) fn exact_stat(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
