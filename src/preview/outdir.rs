//! Where `zhiku serve` builds: never `public/`, so that a broken save
//! cannot damage a build meant for deployment.
//!
//! - [`ServeDir::Kept`]: `.zhiku-cache/serve/` in the site folder, kept
//!   between runs with the build cache's record of what it holds, so that
//!   the next start writes only what changed (issue 15: a start from the
//!   cache costs about what an unchanged `zhiku build` does). A lock on
//!   `.zhiku-cache/serve.lock`, held while the server runs and released by
//!   the system when it ends however it ends, keeps a second server of the
//!   same site out of it.
//! - [`ServeDir::Private`]: a new folder under the system's temporary
//!   folder, removed when the server stops. For `--no-cache`, a second
//!   server of the same site, or a site folder zhiku cannot write in.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::tr;

/// The folder in the build cache that serve builds into.
const KEPT: &str = "serve";
/// The lock that keeps it to one server at a time.
const LOCK: &str = "serve.lock";

/// Serve's output folder.
pub(super) enum ServeDir {
    /// In the site's build cache, reused by the next run.
    Kept {
        path: PathBuf,
        /// Held while this server runs.
        _lock: File,
    },
    /// A new private folder, removed on exit.
    Private(PrivateDir),
}

impl ServeDir {
    /// The folder to build into, and a note when it could not be the
    /// cache's (why the start is slower). Must run before any other
    /// thread starts: see [`PrivateDir::create`].
    pub(super) fn open(root: &Path, use_cache: bool) -> Result<(ServeDir, Option<String>)> {
        if !use_cache {
            return Ok((ServeDir::Private(PrivateDir::create()?), None));
        }
        let cache = root.join(crate::disk_cache::DIR);
        match kept(&cache) {
            Ok(dir) => {
                #[cfg(unix)]
                exit_on_signal(None);
                Ok((dir, None))
            }
            Err(why) => {
                let note = tr!("preview.private_dir", why = why);
                Ok((ServeDir::Private(PrivateDir::create()?), Some(note)))
            }
        }
    }

    pub(super) fn path(&self) -> &Path {
        match self {
            ServeDir::Kept { path, .. } => path,
            ServeDir::Private(private) => &private.0,
        }
    }

    /// Whether the folder outlives this run (the build cache keeps a
    /// record of what it holds).
    pub(super) fn is_kept(&self) -> bool {
        matches!(self, ServeDir::Kept { .. })
    }
}

/// `.zhiku-cache/serve/`, locked for this process; or why not, in words.
fn kept(cache: &Path) -> std::result::Result<ServeDir, String> {
    let say = |e: &dyn std::fmt::Display| e.to_string();
    crate::disk_cache::prepare(cache).map_err(|e| say(&e))?;
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(cache.join(LOCK))
        .map_err(|e| say(&e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(tr!("preview.another_server")),
        Err(std::fs::TryLockError::Error(e)) => return Err(say(&e)),
    }
    let path = cache.join(KEPT);
    match crate::fs::symlink_metadata(&path) {
        // Only a real folder: a link could lead the writes elsewhere.
        Some(meta) if meta.is_dir() => {}
        Some(_) => return Err(tr!("preview.not_a_folder", path = path.display())),
        None => {
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(&path).map_err(|e| say(&e))?;
        }
    }
    Ok(ServeDir::Kept { path, _lock: lock })
}

/// A new folder per run, made by this process under the system's temporary
/// folder (mode 0700, never one that was there before), and removed when
/// the server stops, by Ctrl-C, SIGTERM or an error. A fixed name there
/// was a way in: anyone could prepare it with `assets -> somewhere` and
/// have `serve` write there (issue 13).
pub(super) struct PrivateDir(PathBuf);

impl PrivateDir {
    /// Creates the folder and arranges for its removal on Ctrl-C, SIGTERM
    /// and SIGHUP. Must run before any other thread starts: the signals
    /// are blocked here, every thread started later inherits that, and
    /// one thread waits for them.
    fn create() -> Result<PrivateDir> {
        let dir = crate::fs::create_unique_dir(&std::env::temp_dir(), "zhiku-serve")?;
        #[cfg(unix)]
        exit_on_signal(Some(dir.clone()));
        Ok(PrivateDir(dir))
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = crate::fs::remove_dir_all(&self.0);
    }
}

/// Exits on Ctrl-C, SIGTERM and SIGHUP, removing `dir` first if given.
/// A build cut short leaves only temporary files, which the next build
/// removes.
#[cfg(unix)]
fn exit_on_signal(dir: Option<PathBuf>) {
    // SAFETY: plain libc calls on a zeroed, then initialised, signal set;
    // `sigwait` on a thread of its own, with the set blocked in every
    // thread, is the documented way to take signals without a handler.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        std::thread::spawn(move || {
            let mut signal = 0;
            libc::sigwait(&set, &mut signal);
            // A rebuild may be adding files while this removes them.
            for _ in 0..5 {
                if dir
                    .as_deref()
                    .is_none_or(|d| crate::fs::remove_dir_all(d).is_ok())
                {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            std::process::exit(128 + signal);
        });
    }
}
