//! The file watcher behind `zhiku serve` and `zhiku watch`: it turns file
//! system events into debounced [`Batch`]es of changes that need a rebuild.
//! It knows nothing of building or serving; the caller rebuilds.
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! # let root = std::path::Path::new(".");
//! use zhiku::watch::{Mode, Watcher};
//! let (output, theme) = (root.join("public"), root.join("themes/default"));
//! let watcher = Watcher::new(root, vec![output], Some(theme), Mode::Auto)?;
//! if let Some(note) = watcher.note() {
//!     eprintln!("{note}");
//! }
//! loop {
//!     let batch = watcher.next_batch();
//!     // rebuild; `batch.rescan` means: everything, the paths are incomplete
//! }
//! # }
//! ```
//!
//! # What is watched
//!
//! What a build reads, and nothing else: the root's own entries (for
//! `site.toml`, and for `content/` or the theme appearing or vanishing),
//! `content/`, `templates/` and `static/` recursively, and the theme folder
//! when the theme is a folder of the site. Not the whole root: `target/`,
//! `.git/` and the output folder could use up the system's watch limit, and
//! the rebuild's own writes into the output would flood the event queue.
//!
//! # What is ignored, and why
//!
//! [`classify`] decides, per path, before debouncing, so that noise never
//! opens a batch: paths outside the four places above, the `ignored_dirs`
//! given to [`Watcher::new`] (the output folder, serve's temporary output),
//! reads (inotify reports every open of a file the rebuild reads), and
//! editor temporaries and hidden names anywhere. Editors do not simply
//! write a file: vim probes the folder with a `4913` file, writes `.x.swp`,
//! and by default renames `x.md` away and writes a new one — the
//! rename-on-save that left watchers deaf to the new file (notify #531);
//! JetBrains IDEs write `x.md___jb_tmp___` and rename it over the page.
//! Filtering the temporaries leaves the events of the page itself, and the
//! debouncer folds those into one batch, so one save is one rebuild and no
//! temporary file ever becomes a page. Deletions and renames are reported
//! like edits, so a deleted page leaves the site (Zola #3155). Hidden files
//! and folders are ignored because the build skips them too
//! ([`content::discover`](mod@crate::content::discover)).
//!
//! # Debouncing
//!
//! A batch closes once no relevant event has come for [`QUIET`], or once it
//! has been open for [`MAX_OPEN`] while events keep coming (500 files
//! written in a second give at most two batches, and a long stream still
//! shows progress). A batch of one file whose last event completed its
//! save (closed after writing, renamed into place) closes after
//! [`SETTLED`] instead: that is an editor's save, and [`QUIET`] would be a
//! third of its way to the page. Changes that pile up while the caller is
//! rebuilding are merged into the next batch, not replayed one by one. New
//! folders are scanned when their batch closes, since their files may be
//! written before the watch on them is in place
//! (`mkdir -p a/b/c && touch a/b/c/x.md`).
//!
//! # Faults
//!
//! - Native watching failed (inotify's watch limit, too many open files, a
//!   file system without events): the watcher polls every
//!   [`POLL_INTERVAL`] instead and [`Watcher::note`] says why, and that
//!   `--poll` ([`Mode::Poll`]) always polls. Hitting the limit later, as
//!   the site grows, switches to polling the same way.
//! - Events were lost (inotify's queue overflowed): the next batch has
//!   [`Batch::rescan`] set.
//! - The site root was removed, renamed, or replaced by a new folder
//!   (`rm -rf site && git clone … site`): a batch with `rescan` and a note
//!   reports it; the watcher waits for the root to come back, watches it
//!   anew, and sends a `rescan` batch.

mod backend;
mod classify;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use backend::{Backend, Filter, Forward, Msg, NativeFactory, RootChange, Watches};

use crate::tr;

pub use classify::classify;

/// How long a batch waits for more events before it is sent. Short: the
/// editor's save-to-reload target is well under 100 ms in all, and one
/// save's events come within a millisecond or two of each other.
pub const QUIET: Duration = Duration::from_millis(30);

/// How long a batch of one file waits once that file's save is complete
/// (closed after writing, or renamed into place): long enough for a second
/// file of the same operation to start, so that a checkout or a copy of
/// many files still makes few batches, and short next to [`QUIET`], which
/// would otherwise be a third of an edit's way to the page.
pub const SETTLED: Duration = Duration::from_millis(5);

/// How long a batch stays open while events keep coming.
pub const MAX_OPEN: Duration = Duration::from_secs(1);

/// How often the polling fallback looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How often the watcher checks, when idle, that the root and the watched
/// folders are still the ones it watches.
const CHECK_EVERY: Duration = Duration::from_millis(250);

/// What a change affects, so the caller can tell a page edit from a
/// template or configuration change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Under `content/`: pages, section indexes, images beside pages.
    Content,
    /// Under the site's `templates/`, or its `i18n/` (the words the
    /// templates show, [`crate::ui`]).
    Template,
    /// Under the site's `static/`.
    Static,
    /// Under the theme folder.
    Theme,
    /// `site.toml`.
    Config,
}

impl Change {
    /// Every kind, as a [`Batch::rescan`] reports them.
    pub const ALL: [Change; 5] = [
        Change::Content,
        Change::Template,
        Change::Static,
        Change::Theme,
        Change::Config,
    ];
}

/// How to watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Native events, falling back to polling when they cannot be had.
    #[default]
    Auto,
    /// Always poll (`--poll`): for network and virtual file systems that
    /// deliver no events (NFS, SMB, some container and WSL mounts).
    Poll,
}

/// Changes that arrived together, for one rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// The relevant files and folders that changed, were created, removed
    /// or renamed (both names of a rename), under the root as given to
    /// [`Watcher::new`]; the files of a new folder are listed too. Never an
    /// ignored path.
    pub paths: BTreeSet<PathBuf>,
    /// What the paths affect. Every kind when `rescan` is set.
    pub changes: BTreeSet<Change>,
    /// Events were lost (queue overflow, the switch to polling) or the root
    /// was removed or replaced: rebuild everything from disk; `paths` is
    /// incomplete.
    pub rescan: bool,
    /// Messages for the terminal about the watcher itself (fell back to
    /// polling, the site folder vanished or came back).
    pub notes: Vec<String>,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan && self.notes.is_empty()
    }
}

/// Watches a site and hands out debounced [`Batch`]es. Dropping it stops
/// watching.
pub struct Watcher {
    note: Arc<OnceLock<String>>,
    inner: Mutex<Inner>,
}

impl Watcher {
    /// Starts watching the site at `site_root` (see the module doc for what
    /// is watched). `ignored_dirs` are folders whose changes never count
    /// (the output folder, serve's temporary output), absolute or relative
    /// to the root. `theme_dir` is the folder the theme loads from,
    /// `themes/<name>` of the site: pass it also while it does not exist
    /// (the built-in theme is then used), so that creating it is seen.
    ///
    /// Fails when the root is not a folder, or when even polling cannot
    /// start.
    pub fn new(
        site_root: &Path,
        ignored_dirs: Vec<PathBuf>,
        theme_dir: Option<PathBuf>,
        mode: Mode,
    ) -> Result<Watcher> {
        Self::start(site_root, ignored_dirs, theme_dir, mode, backend::native)
    }

    fn start(
        site_root: &Path,
        ignored_dirs: Vec<PathBuf>,
        theme_dir: Option<PathBuf>,
        mode: Mode,
        native: NativeFactory,
    ) -> Result<Watcher> {
        let root = std::path::absolute(site_root)
            .with_context(|| tr!("output.fs.resolve", path = site_root.display()))?;
        if !crate::fs::is_dir(&root) {
            bail!(tr!("output.watch.not_a_folder", path = root.display()));
        }
        let (tx, rx) = mpsc::channel();
        let forward = Forward {
            tx,
            filter: Arc::new(Filter::new(root, ignored_dirs, theme_dir)),
            skip_config: false,
        };
        let note = Arc::new(OnceLock::new());
        let backend = match mode {
            Mode::Poll => Backend::poll(&forward, POLL_INTERVAL)?,
            Mode::Auto => match native(forward.clone()) {
                Ok(w) => Backend::Native(w),
                Err(e) => {
                    let _ = note.set(fallback_note(&e));
                    Backend::poll(&forward, POLL_INTERVAL)?
                }
            },
        };
        let mut inner = Inner {
            watches: Watches::new(backend, &forward.filter),
            forward,
            rx,
            pending: Pending::default(),
            next_check: Instant::now() + CHECK_EVERY,
            note: Arc::clone(&note),
        };
        // The first look reports the root as "back"; that is no news, and
        // neither is a fall back to polling: `note` tells of it.
        if let Err(e) = inner.watches.reconcile() {
            inner
                .fall_back(&e)
                .with_context(|| tr!("output.watch.cannot_watch"))?;
        }
        inner.pending = Pending::default();
        Ok(Watcher {
            note,
            inner: Mutex::new(inner),
        })
    }

    /// Set when native watching failed and the watcher polls instead: a
    /// message for the terminal that says why, and that `--poll` always
    /// polls. `None` while native watching works, and in [`Mode::Poll`].
    pub fn note(&self) -> Option<&str> {
        self.note.get().map(String::as_str)
    }

    /// Blocks until a debounced batch of relevant changes is ready. One
    /// caller at a time: concurrent callers take turns.
    pub fn next_batch(&self) -> Batch {
        loop {
            if let Some(batch) = self.lock().wait(None) {
                return batch;
            }
        }
    }

    /// Like [`Watcher::next_batch`], but gives up after `timeout` (a batch
    /// still open then is kept for the next call).
    pub fn next_batch_timeout(&self, timeout: Duration) -> Option<Batch> {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.lock().wait(Some(deadline)),
            None => Some(self.next_batch()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The handler notify calls, to feed events in as the backend would.
    #[cfg(test)]
    fn forward(&self) -> Forward {
        self.lock().forward.clone()
    }
}

struct Inner {
    watches: Watches,
    forward: Forward,
    rx: Receiver<Msg>,
    pending: Pending,
    next_check: Instant,
    note: Arc<OnceLock<String>>,
}

impl Inner {
    /// Collects events until a batch is ready or `deadline` passes.
    fn wait(&mut self, deadline: Option<Instant>) -> Option<Batch> {
        loop {
            let now = Instant::now();
            if now >= self.next_check {
                self.check(now);
            }
            if self.pending.is_ready(now) {
                return Some(self.close());
            }
            if deadline.is_some_and(|d| now >= d) {
                return None;
            }
            let mut wake = self.next_check;
            if let Some(due) = self.pending.due() {
                wake = wake.min(due);
            }
            if let Some(d) = deadline {
                wake = wake.min(d);
            }
            match self.rx.recv_timeout(wake.saturating_duration_since(now)) {
                Ok(msg) => self.absorb(msg, Instant::now()),
                // `forward` holds a sender, so the channel never closes.
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
        }
    }

    fn absorb(&mut self, msg: Msg, now: Instant) {
        match msg {
            Msg::Changed {
                path,
                change,
                appeared,
                vanished,
                settled,
            } => {
                if vanished {
                    self.watches.mark_stale(&path);
                }
                self.pending.add(path, change, appeared, settled, now);
            }
            Msg::Root { vanished: true } => {
                self.watches.mark_stale(&self.forward.filter.root);
                self.next_check = now;
            }
            Msg::Root { vanished: false } => {}
            Msg::Rescan => {
                self.pending.rescan(tr!("output.watch.overflow"));
                self.pending.touch(now);
            }
            Msg::Error(e) if !self.watches.backend.is_native() || backend::is_gone(&e) => {
                // The poll watcher reports files that vanish mid-scan and
                // unreadable folders on every scan, and keeps going.
            }
            Msg::Error(e) if backend::is_limit(&e) => {
                if let Err(e) = self.fall_back(&e) {
                    self.pending.rescan(format!("{e:#}"));
                }
                self.pending.touch(now);
            }
            Msg::Error(e) => {
                self.pending
                    .rescan(tr!("output.watch.watcher_error", error = e));
                self.pending.touch(now);
            }
        }
    }

    /// Looks at the root and the watched folders.
    fn check(&mut self, now: Instant) {
        self.next_check = now + CHECK_EVERY;
        match self.watches.reconcile() {
            Ok(None) => {}
            Ok(Some(change)) => {
                let root = self.forward.filter.root.display();
                self.pending.rescan(match change {
                    RootChange::Gone => tr!("output.watch.root_gone", root = root),
                    RootChange::Back => tr!("output.watch.root_back", root = root),
                    RootChange::Replaced => tr!("output.watch.root_replaced", root = root),
                });
                self.pending.touch(now);
            }
            // Only a native watcher fails to add a watch.
            Err(_) if !self.watches.backend.is_native() => {}
            Err(e) => {
                if let Err(e) = self.fall_back(&e) {
                    self.pending.rescan(format!("{e:#}"));
                }
                self.pending.touch(now);
            }
        }
    }

    /// Swaps the native watcher for polling after `e`, noting why. Events
    /// may have been missed, so the next batch is a rescan.
    fn fall_back(&mut self, e: &notify::Error) -> Result<()> {
        let message = fallback_note(e);
        let _ = self.note.set(message.clone());
        self.pending.rescan(message);
        let poll = Backend::poll(&self.forward, POLL_INTERVAL)
            .with_context(|| tr!("output.watch.cannot_poll"))?;
        self.watches.replace_backend(poll);
        self.watches
            .reconcile()
            .with_context(|| tr!("output.watch.cannot_poll"))?;
        Ok(())
    }

    /// Finishes the open batch: looks at the watches once more (a folder may
    /// have appeared), then adds the files of new folders.
    fn close(&mut self) -> Batch {
        self.check(Instant::now());
        let Pending {
            mut batch,
            appeared,
            ..
        } = std::mem::take(&mut self.pending);
        if batch.rescan {
            batch.changes.extend(Change::ALL);
        } else {
            for dir in appeared.iter().filter(|p| crate::fs::is_dir(p)) {
                for file in crate::content::discover::discover(dir, "").files {
                    if let Some(change) = self.forward.filter.classify(&file.path) {
                        batch.paths.insert(file.path);
                        batch.changes.insert(change);
                    }
                }
            }
        }
        batch
    }
}

/// The batch being collected.
#[derive(Default)]
struct Pending {
    batch: Batch,
    /// Paths that may have been created: folders among them are scanned.
    appeared: BTreeSet<PathBuf>,
    /// Paths whose last event may be followed by more of the same save.
    unsettled: BTreeSet<PathBuf>,
    opened: Option<Instant>,
    last: Option<Instant>,
}

impl Pending {
    /// A change of `path` at `now`.
    fn add(&mut self, path: PathBuf, change: Change, appeared: bool, settled: bool, now: Instant) {
        if settled {
            self.unsettled.remove(&path);
        } else {
            self.unsettled.insert(path.clone());
        }
        if appeared {
            self.appeared.insert(path.clone());
        }
        self.batch.paths.insert(path);
        self.batch.changes.insert(change);
        self.touch(now);
    }

    fn touch(&mut self, now: Instant) {
        self.opened.get_or_insert(now);
        self.last = Some(now);
    }

    fn rescan(&mut self, note: String) {
        self.batch.rescan = true;
        if !self.batch.notes.contains(&note) {
            self.batch.notes.push(note);
        }
    }

    /// When the open batch is due: after the quiet window ([`SETTLED`]
    /// for one file whose save is complete), or at its maximum age.
    fn due(&self) -> Option<Instant> {
        let quiet = if self.is_one_settled_save() {
            SETTLED
        } else {
            QUIET
        };
        match (self.opened, self.last) {
            (Some(opened), Some(last)) if !self.batch.is_empty() => {
                Some((last + quiet).min(opened + MAX_OPEN))
            }
            _ => None,
        }
    }

    /// One file changed, and its last event completed the save.
    fn is_one_settled_save(&self) -> bool {
        self.batch.paths.len() == 1 && self.unsettled.is_empty() && !self.batch.rescan
    }

    fn is_ready(&self, now: Instant) -> bool {
        self.due().is_some_and(|due| now >= due)
    }
}

/// The note for a fall back to polling after `e`.
fn fallback_note(e: &notify::Error) -> String {
    tr!(
        "output.watch.fallback",
        why = backend::describe(e),
        seconds = POLL_INTERVAL.as_secs_f64()
    )
}
