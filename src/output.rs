//! Writes the built site into the output folder, touching as little as
//! possible and nothing that is not ours.
//!
//! 1. [`check_output_dir`] refuses, before anything is written, a folder
//!    that is the site, the content, a parent of either, inside the
//!    content, or a symlink leading out of the site.
//! 2. [`write`] compares each file with what is on disk and replaces only
//!    files whose bytes changed (temporary file, then rename). A second
//!    build with nothing changed writes nothing: rewriting a 10,000-page
//!    tree costs seconds on ordinary disks.
//! 3. Files the previous build wrote (listed in the manifest) that this
//!    build no longer produces are removed; files zhiku did not write are
//!    never touched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

/// The list of files zhiku wrote, kept in the output folder.
pub const MANIFEST: &str = ".zhiku-manifest";

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Files of a previous build removed.
    pub removed: usize,
}

/// Refuses dangerous output folders. `root` is the site folder.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            output.display().to_string(),
            format!("refusing to use this output folder: {why}"),
        )
        .with_hint(
            "choose a separate folder such as `public`, with `output_dir` in site.toml or `-o DIR`",
        ))
    };
    let root = crate::fs::canonicalize(root)
        .map_err(|e| Diagnostic::error(root.display().to_string(), format!("{e:#}")))?;
    if let Some(meta) = crate::fs::symlink_metadata(output)
        && meta.file_type().is_symlink()
        && !resolve(output).starts_with(&root)
    {
        return refuse("it is a symlink that leads out of the site");
    }
    if output.exists() && !output.is_dir() {
        return refuse("it exists and is not a folder");
    }
    let out = resolve(output);
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return refuse("it is the site folder or contains it");
    }
    if out == content || out.starts_with(&content) {
        return refuse("it is the content folder or inside it");
    }
    for sub in ["static", "templates", "themes"] {
        if out.starts_with(root.join(sub)) {
            return refuse(&format!("it is inside the site's `{sub}` folder"));
        }
    }
    Ok(())
}

/// The canonical form of a path that may not exist yet: `.` and `..`
/// removed lexically, then its nearest existing ancestor canonicalised.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while let (Err(_), Some(parent), Some(name)) = (
        crate::fs::canonicalize(existing),
        existing.parent(),
        existing.file_name(),
    ) {
        rest.push(name.to_os_string());
        existing = parent;
    }
    let base = crate::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    rest.iter().rev().fold(base, |acc, part| acc.join(part))
}

/// Writes `files` into `out`, replacing only changed files and removing
/// the ones the previous build wrote that are no longer produced.
pub fn write(out: &Path, files: Vec<OutputFile>) -> Result<WriteReport> {
    let writer = Writer::prepare(out)?;
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let pending: Vec<OutputFile> = files.into_iter().filter_map(|f| writer.offer(f)).collect();
    if let Some(e) = writer.take_error() {
        writer.abort();
        return Err(e);
    }
    writer.finish(pending, &paths)
}

/// Receives output files as they are rendered, so the whole site never has
/// to sit in memory.
///
/// - Into a fresh (missing or empty) folder there is no previous site to
///   protect: each file is written at once, and if the build then fails,
///   [`Writer::abort`] removes everything written, leaving the folder as it
///   was.
/// - Into an existing site, each file is compared with what is on disk at
///   once; unchanged files are dropped, changed ones are kept for
///   [`Writer::finish`], which writes them only when the whole build has
///   succeeded, so a failed build leaves the previous site untouched.
#[derive(Debug)]
pub struct Writer {
    out: std::path::PathBuf,
    fresh: bool,
    created_out: bool,
    written: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
    error: Mutex<Option<anyhow::Error>>,
}

impl Writer {
    /// Looks at the output folder; creates it when missing.
    pub fn prepare(out: &Path) -> Result<Writer> {
        let existed = crate::fs::is_dir(out);
        let fresh = crate::fs::read_dir_sorted(out).map_or(true, |entries| entries.is_empty());
        crate::fs::create_dir_all(out)?;
        Ok(Writer {
            out: out.to_path_buf(),
            fresh,
            created_out: !existed,
            written: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            error: Mutex::new(None),
        })
    }

    /// Takes one rendered file: writes it (fresh folder), drops it
    /// (unchanged), or hands it back to be written by [`Writer::finish`].
    /// IO errors are kept for [`Writer::take_error`].
    pub fn offer(&self, file: OutputFile) -> Option<OutputFile> {
        let path = self.out.join(&file.path);
        if self.fresh {
            match crate::fs::write_new(&path, &file.bytes) {
                Ok(()) => lock(&self.written).push(file.path),
                Err(e) => self.fail(e),
            }
            return None;
        }
        match crate::fs::read_if_exists(&path) {
            Ok(Some(old)) if old == file.bytes => {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                None
            }
            Ok(_) => Some(file),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    fn fail(&self, e: anyhow::Error) {
        lock(&self.error).get_or_insert(e);
    }

    /// The first IO error met while offering, if any.
    pub fn take_error(&self) -> Option<anyhow::Error> {
        lock(&self.error).take()
    }

    /// The build failed: removes what a fresh build wrote (and the folder,
    /// if it created it). An existing site was not touched.
    pub fn abort(self) {
        for rel in lock(&self.written).iter() {
            let path = self.out.join(rel);
            let _ = crate::fs::remove_file(&path);
            remove_empty_parents(&self.out, &path);
        }
        if self.created_out {
            crate::fs::remove_dir_if_empty(&self.out);
        }
    }

    /// The build succeeded: writes the changed files (atomically), removes
    /// files of the previous build that are no longer produced, and
    /// records what this build produced. `paths` are all output paths.
    pub fn finish(self, pending: Vec<OutputFile>, paths: &[String]) -> Result<WriteReport> {
        let previous = read_manifest(&self.out)?;
        // `offer` already compared these with the disk: they are new or
        // changed, so they are written without reading them again.
        pending
            .par_iter()
            .map(|f| crate::fs::write_atomic(&self.out.join(&f.path), &f.bytes))
            .collect::<Result<()>>()?;
        let mut report = WriteReport {
            written: lock(&self.written).len() + pending.len(),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: 0,
        };
        let current: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
        for stale in previous.iter().filter(|p| !current.contains(p.as_str())) {
            if !is_safe_relative(stale) {
                continue;
            }
            let path = self.out.join(stale);
            crate::fs::remove_file(&path)?;
            report.removed += 1;
            remove_empty_parents(&self.out, &path);
        }
        let manifest: String = current.iter().map(|p| format!("{p}\n")).collect();
        write_if_changed(&self.out.join(MANIFEST), manifest.as_bytes())?;
        Ok(report)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave them inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes `bytes` atomically unless the file already holds them.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    match crate::fs::read_if_exists(path)? {
        Some(old) if old == bytes => Ok(()),
        _ => crate::fs::write_atomic(path, bytes),
    }
}

fn read_manifest(out: &Path) -> Result<Vec<String>> {
    let Some(bytes) = crate::fs::read_if_exists(&out.join(MANIFEST))? else {
        return Ok(Vec::new());
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// A manifest line is only acted on when it is a plain relative path: a
/// tampered manifest must not make us delete outside the output folder.
fn is_safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || !crate::fs::remove_dir_if_empty(d) {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_only_changes_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("CNAME"), "mine").unwrap();
        let r = write(
            &out,
            vec![file("index.html", "a"), file("x/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let r = write(
            &out,
            vec![file("index.html", "a"), file("x/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 0,
                unchanged: 2,
                removed: 0
            }
        );
        let r = write(&out, vec![file("index.html", "c")]).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 1,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(!out.join("x").exists(), "empty folder left behind");
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "mine");
    }

    #[test]
    fn ignores_tampered_manifest_lines() {
        assert!(is_safe_relative("a/b/index.html"));
        for bad in ["../x", "/etc/passwd", "a/../../x", "a//b", "a\\b"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("public/../content")).is_err());
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("public")).unwrap();
            assert!(check_output_dir(&root, &root.join("public")).is_err());
        }
    }
}

#[cfg(test)]
mod writer_tests {
    use super::*;

    #[test]
    fn a_failed_fresh_build_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = Writer::prepare(&out).unwrap();
        assert!(
            writer
                .offer(OutputFile {
                    path: "a/b/index.html".into(),
                    bytes: b"x".to_vec()
                })
                .is_none()
        );
        assert!(out.join("a/b/index.html").exists());
        writer.abort();
        assert!(!out.exists(), "output folder left behind");
    }

    #[test]
    fn an_existing_site_is_untouched_until_finish() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            vec![OutputFile {
                path: "index.html".into(),
                bytes: b"old".to_vec(),
            }],
        )
        .unwrap();
        let writer = Writer::prepare(&out).unwrap();
        let kept = writer.offer(OutputFile {
            path: "index.html".into(),
            bytes: b"new".to_vec(),
        });
        assert!(kept.is_some());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        writer.abort();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
    }
}
