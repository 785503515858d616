//! The notify side of the watcher: which folders are watched, with which
//! backend, and how raw events become [`Msg`]s.
//!
//! 1. [`Forward`] runs on notify's thread: it drops reads and classifies
//!    each path ([`classify`]), so noise never reaches the debouncer.
//! 2. [`Watches`] holds the backend and the folders it watches. Only what a
//!    build reads is watched — not the whole root, whose `target/`, `.git/`
//!    or output folder could use up the system's watch limit and flood the
//!    event queue while the rebuild writes. [`Watches::reconcile`] compares
//!    each folder's identity with the one watched and re-adds the watch when
//!    a folder appeared, vanished or was replaced (an inotify watch dies with
//!    the folder it was put on).
//! 3. [`Backend`] is the native watcher or, when that failed or `--poll`
//!    asked for it, two [`notify::PollWatcher`]s (see [`Backend::poll`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode};

use super::Change;
use super::classify::{classify, is_change_kind};
use crate::tr;

/// What [`Forward`] tells the debouncer.
#[derive(Debug)]
pub(super) enum Msg {
    /// A relevant path changed.
    Changed {
        path: PathBuf,
        change: Change,
        /// The path may now exist where it did not (created, renamed to).
        appeared: bool,
        /// The path may be gone (removed, renamed from).
        vanished: bool,
        /// The event ends a write: the file was closed after writing,
        /// renamed into place, or only its times or permissions changed.
        settled: bool,
    },
    /// An event about the site root itself.
    Root { vanished: bool },
    /// The backend lost events (inotify's queue overflowed).
    Rescan,
    /// An error the backend reported while running.
    Error(notify::Error),
}

/// The paths a site's events are judged against, shared with notify's
/// threads.
#[derive(Debug)]
pub(super) struct Filter {
    pub(super) root: PathBuf,
    /// The root with symlinks resolved, when that differs: FSEvents reports
    /// `/private/var/...` for a root under `/var/...`.
    canonical_root: Option<PathBuf>,
    ignored: Vec<PathBuf>,
    pub(super) theme: Option<PathBuf>,
}

impl Filter {
    pub(super) fn new(root: PathBuf, ignored: Vec<PathBuf>, theme: Option<PathBuf>) -> Filter {
        let absolute = |p: PathBuf| if p.is_absolute() { p } else { root.join(p) };
        let ignored = ignored.into_iter().map(absolute).collect();
        let theme = theme.map(absolute);
        let canonical_root = crate::fs::canonicalize(&root).ok().filter(|c| *c != root);
        Filter {
            root,
            canonical_root,
            ignored,
            theme,
        }
    }

    /// `path` under the root as the caller spelled it.
    fn rebase(&self, path: &Path) -> PathBuf {
        match &self.canonical_root {
            Some(canonical) if !path.starts_with(&self.root) => {
                match path.strip_prefix(canonical) {
                    Ok(rest) => self.root.join(rest),
                    Err(_) => path.to_path_buf(),
                }
            }
            _ => path.to_path_buf(),
        }
    }

    /// [`classify`] with this site's paths.
    pub(super) fn classify(&self, path: &Path) -> Option<Change> {
        classify(&self.root, &self.ignored, self.theme.as_deref(), path)
    }

    /// The messages one notify callback yields, in order.
    pub(super) fn messages(&self, event: notify::Result<Event>) -> Vec<Msg> {
        let event = match event {
            Ok(event) => event,
            Err(e) => return vec![Msg::Error(e)],
        };
        let mut out = Vec::new();
        if event.need_rescan() {
            out.push(Msg::Rescan);
        }
        if !is_change_kind(&event.kind) {
            return out;
        }
        let metadata_only = matches!(event.kind, EventKind::Modify(ModifyKind::Metadata(_)));
        for (i, raw) in event.paths.iter().enumerate() {
            let (appeared, vanished) = direction(&event.kind, i);
            let settled = settles(&event.kind, i);
            let path = self.rebase(raw);
            // A folder's times change whenever an entry is added or removed
            // (the poll watcher reports that); the entry is reported itself.
            if metadata_only && crate::fs::is_dir(&path) {
                continue;
            }
            if path == self.root {
                out.push(Msg::Root { vanished });
            } else if let Some(change) = self.classify(&path) {
                out.push(Msg::Changed {
                    path,
                    change,
                    appeared,
                    vanished,
                    settled,
                });
            }
        }
        out
    }
}

/// Whether the `i`th path of an event of `kind` may have appeared or
/// vanished. Unknown kinds say both, which costs at most a folder scan or a
/// re-added watch.
fn direction(kind: &EventKind, i: usize) -> (bool, bool) {
    match kind {
        EventKind::Create(_) => (true, false),
        EventKind::Remove(_) => (false, true),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => (true, false),
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => (false, true),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => (i > 0, i == 0),
        EventKind::Modify(ModifyKind::Name(_)) | EventKind::Any | EventKind::Other => (true, true),
        _ => (false, false),
    }
}

/// Whether the `i`th path of an event of `kind` is in its final state:
/// closed after a write, renamed into place (an atomic save), or touched
/// in its metadata only. A creation, a write still open or a removal may
/// be followed by more of the same save.
fn settles(kind: &EventKind, i: usize) -> bool {
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(RenameMode::To) | ModifyKind::Metadata(_)) => true,
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => i > 0,
        _ => false,
    }
}

/// The event handler given to notify: classify on notify's thread, then
/// send. A send fails only once the [`super::Watcher`] is gone.
#[derive(Clone)]
pub(super) struct Forward {
    pub(super) tx: Sender<Msg>,
    pub(super) filter: Arc<Filter>,
    /// Drop edits of `site.toml`: set for the poll watcher of the root's
    /// entries, since the one that compares contents reports them already,
    /// maybe in another batch. Its creation is kept: the other watcher
    /// starts on the file only once it exists.
    pub(super) skip_config: bool,
}

impl notify::EventHandler for Forward {
    fn handle_event(&mut self, event: notify::Result<Event>) {
        for msg in self.filter.messages(event) {
            if self.skip_config
                && matches!(
                    msg,
                    Msg::Changed {
                        change: Change::Config,
                        appeared: false,
                        vanished: false,
                        ..
                    }
                )
            {
                continue;
            }
            let _ = self.tx.send(msg);
        }
    }
}

/// Makes the native watcher; a parameter so that tests can make it fail.
pub(super) type NativeFactory = fn(Forward) -> notify::Result<Box<dyn notify::Watcher + Send>>;

/// The platform's native watcher (inotify, FSEvents, ReadDirectoryChangesW).
pub(super) fn native(forward: Forward) -> notify::Result<Box<dyn notify::Watcher + Send>> {
    Ok(Box::new(notify::recommended_watcher(forward)?))
}

/// The watcher that delivers events.
pub(super) enum Backend {
    /// Native events.
    Native(Box<dyn notify::Watcher + Send>),
    /// Polling. notify's PollWatcher compares modification times in whole
    /// seconds, so a second save within the same second would go unseen;
    /// `hashed` also compares contents (it re-reads its files every poll)
    /// and watches what people edit: pages, templates, the theme and
    /// `site.toml`. `by_mtime` watches the root's entries and `static/`,
    /// whose large files (PDFs, video) are not worth re-reading twice a
    /// second.
    Poll {
        hashed: notify::PollWatcher,
        by_mtime: notify::PollWatcher,
    },
}

impl Backend {
    /// Two poll watchers checking every `interval`.
    pub(super) fn poll(forward: &Forward, interval: Duration) -> notify::Result<Backend> {
        let config = notify::Config::default().with_poll_interval(interval);
        let by_mtime = Forward {
            skip_config: true,
            ..forward.clone()
        };
        Ok(Backend::Poll {
            hashed: notify::PollWatcher::new(forward.clone(), config.with_compare_contents(true))?,
            by_mtime: notify::PollWatcher::new(by_mtime, config)?,
        })
    }

    pub(super) fn is_native(&self) -> bool {
        matches!(self, Backend::Native(_))
    }

    fn watch(&mut self, target: &Target) -> notify::Result<()> {
        let mode = if target.recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        match self {
            Backend::Native(w) => w.watch(&target.path, mode),
            Backend::Poll { hashed, .. } if target.hashed => {
                notify::Watcher::watch(hashed, &target.path, mode)
            }
            Backend::Poll { by_mtime, .. } => notify::Watcher::watch(by_mtime, &target.path, mode),
        }
    }

    fn unwatch(&mut self, target: &Target) {
        // An error only says the watch was already gone with its folder.
        let _ = match self {
            Backend::Native(w) => w.unwatch(&target.path),
            Backend::Poll { hashed, .. } if target.hashed => {
                notify::Watcher::unwatch(hashed, &target.path)
            }
            Backend::Poll { by_mtime, .. } => notify::Watcher::unwatch(by_mtime, &target.path),
        };
    }
}

/// A file or folder of the site that gets a watch of its own.
#[derive(Debug)]
struct Target {
    path: PathBuf,
    recursive: bool,
    /// Polled with content comparison.
    hashed: bool,
    /// Watched only when polling: the native root watch already reports it.
    poll_only: bool,
    /// Identity of what is there now, as last looked at.
    seen: Option<Identity>,
    /// A watch is in place.
    watched: bool,
    /// An event said it was removed or renamed: look again even if the
    /// identity is unchanged (a recreated folder can reuse the inode).
    stale: bool,
}

/// Which file system object is at a path: inode and device on Unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity(u64, u64);

fn identity(path: &Path) -> Option<Identity> {
    let resolved = crate::fs::canonicalize(path).ok()?;
    let meta = crate::fs::symlink_metadata(&resolved)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Identity(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(Identity(0, 0))
    }
}

/// What happened to the site root since the last look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RootChange {
    /// It is gone (removed or renamed away).
    Gone,
    /// It is there again after being gone.
    Back,
    /// Another folder now stands at its path.
    Replaced,
}

/// The backend and the targets it watches.
pub(super) struct Watches {
    pub(super) backend: Backend,
    /// `targets[0]` is the root.
    targets: Vec<Target>,
}

impl Watches {
    /// The targets for a site: the root's own entries (site.toml, and the
    /// folders below appearing or vanishing), `content/`, `templates/`,
    /// `static/`, `i18n/`, the theme folder and the folders between it and
    /// the root.
    pub(super) fn new(backend: Backend, filter: &Filter) -> Watches {
        let root = &filter.root;
        let target = |path: PathBuf, recursive, hashed, poll_only| Target {
            path,
            recursive,
            hashed,
            poll_only,
            seen: None,
            watched: false,
            stale: false,
        };
        let mut targets = vec![
            target(root.clone(), false, false, false),
            target(root.join(crate::config::CONFIG_FILE), false, true, true),
            target(root.join("content"), true, true, false),
            target(root.join("templates"), true, true, false),
            target(root.join("static"), true, false, false),
            target(root.join(crate::ui::DIR), true, true, false),
        ];
        if let Some(theme) = &filter.theme {
            if let Ok(rel) = theme.strip_prefix(root) {
                let mut between = root.clone();
                let mut parts: Vec<_> = rel.components().collect();
                parts.pop();
                for part in parts {
                    between.push(part);
                    targets.push(target(between.clone(), false, false, false));
                }
            }
            targets.push(target(theme.clone(), true, true, false));
        }
        Watches { backend, targets }
    }

    /// Marks the target at `path`, if it is one, to be looked at again.
    pub(super) fn mark_stale(&mut self, path: &Path) {
        for t in &mut self.targets {
            if t.path == path {
                t.stale = true;
            }
        }
    }

    /// Replaces the backend; every target is watched anew by the next
    /// [`Watches::reconcile`].
    pub(super) fn replace_backend(&mut self, backend: Backend) {
        self.backend = backend;
        for t in &mut self.targets {
            t.watched = false;
        }
    }

    /// Brings the watches in line with what is on disk. Returns what
    /// happened to the root, or the first error of the backend that is not
    /// "that path is gone".
    pub(super) fn reconcile(&mut self) -> notify::Result<Option<RootChange>> {
        let root_change = self.check_root();
        if self.targets[0].seen.is_none() {
            return Ok(root_change);
        }
        let native = self.backend.is_native();
        for t in &mut self.targets {
            if !native {
                // A poll watch follows its path, across removal and
                // recreation; watching anew would take a fresh snapshot and
                // swallow changes the poll has not reported yet. Only a path
                // that did not exist when it was watched needs a watch.
                if !t.watched && identity(&t.path).is_some() {
                    self.backend.watch(t)?;
                    t.watched = true;
                }
                continue;
            }
            if t.poll_only {
                continue;
            }
            let now = identity(&t.path);
            if !t.stale && now == t.seen && t.watched == now.is_some() {
                continue;
            }
            if t.watched {
                self.backend.unwatch(t);
                t.watched = false;
            }
            t.seen = now;
            t.stale = false;
            if now.is_none() {
                continue;
            }
            match self.backend.watch(t) {
                Ok(()) => t.watched = true,
                Err(e) if is_gone(&e) => t.seen = None,
                Err(e) => return Err(e),
            }
        }
        Ok(root_change)
    }

    /// Looks at the root; when it changed under a native watcher, drops
    /// every watch so that the loop in [`Watches::reconcile`] puts them back
    /// on what is there now.
    fn check_root(&mut self) -> Option<RootChange> {
        let root = &self.targets[0];
        let now = identity(&root.path);
        if !root.stale && now == root.seen {
            return None;
        }
        let change = match (root.seen, now) {
            (_, None) if root.seen.is_some() || root.watched => Some(RootChange::Gone),
            (_, None) => None,
            (None, Some(_)) => Some(RootChange::Back),
            (Some(_), Some(_)) => Some(RootChange::Replaced),
        };
        if self.backend.is_native() {
            for t in &mut self.targets {
                if t.watched {
                    self.backend.unwatch(t);
                    t.watched = false;
                }
                t.stale = true;
                t.seen = None;
            }
        }
        self.targets[0].seen = now;
        self.targets[0].stale = false;
        change
    }
}

/// Whether an error only says that a path is not there (any more).
pub(super) fn is_gone(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound | notify::ErrorKind::WatchNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// Whether an error means the system ran out of watches or descriptors:
/// native watching cannot go on, polling can.
pub(super) fn is_limit(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => true,
        notify::ErrorKind::Io(io) => {
            io.kind() == std::io::ErrorKind::StorageFull
                || matches!(io.raw_os_error(), Some(ENFILE | EMFILE))
        }
        _ => false,
    }
}

// The same numbers on Linux, the BSDs and macOS.
const ENFILE: i32 = 23;
const EMFILE: i32 = 24;

/// Why native watching failed, in words a user can act on.
pub(super) fn describe(e: &notify::Error) -> String {
    let limit = || {
        if cfg!(target_os = "linux") {
            tr!("output.watch.inotify_limit")
        } else {
            tr!("output.watch.watch_limit")
        }
    };
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => limit(),
        notify::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => limit(),
        notify::ErrorKind::Io(io) if matches!(io.raw_os_error(), Some(ENFILE | EMFILE)) => {
            if cfg!(target_os = "linux") {
                tr!("output.watch.inotify_open_files")
            } else {
                tr!("output.watch.open_files")
            }
        }
        notify::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::Unsupported => {
            tr!("output.watch.unsupported")
        }
        // notify's message names the paths.
        _ => e.to_string(),
    }
}
