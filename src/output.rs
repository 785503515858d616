//! Writes the built site into the output folder, touching as little as
//! possible and nothing that is not ours.
//!
//! 1. [`check_output_dir`] refuses, before anything is written, a folder
//!    that is the site, the content, a parent of either, inside the
//!    content, or a symlink leading out of the site.
//! 2. [`Writer`] removes the temporary files a killed build left, then
//!    compares each file with what is on disk and writes only files whose
//!    bytes changed, under temporary names; only when all of them are
//!    written are they renamed into place, so a full disk leaves the old
//!    site as it was. A second build with nothing changed writes nothing:
//!    rewriting a 10,000-page tree costs seconds on ordinary disks.
//! 3. Files the previous build wrote (listed in the manifest) that this
//!    build no longer produces are removed; files zhiku did not write are
//!    never touched.
//!
//! Nothing is read, written or removed through a symbolic link under the
//! output ([`crate::fs::Confined`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::fs::Confined;
use crate::tr;

/// The list of files zhiku wrote, kept in the output folder.
pub const MANIFEST: &str = ".zhiku-manifest";

/// A file the build produces, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `/`-separated path relative to the output root.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

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
    let refuse = |why: String| {
        Err(Diagnostic::error(
            output.display().to_string(),
            tr!("output.folder.refuse", why = why),
        )
        .with_hint(tr!("output.folder.refuse_hint")))
    };
    let root = crate::fs::canonicalize(root)
        .map_err(|e| Diagnostic::error(root.display().to_string(), format!("{e:#}")))?;
    if let Some(meta) = crate::fs::symlink_metadata(output)
        && meta.file_type().is_symlink()
        && !resolve(output).starts_with(&root)
    {
        return refuse(tr!("output.folder.why.symlink"));
    }
    if output.exists() && !output.is_dir() {
        return refuse(tr!("output.folder.why.not_a_folder"));
    }
    let out = resolve(output);
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && out == resolve(Path::new(&home))
    {
        return refuse(tr!("output.folder.why.home"));
    }
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return refuse(tr!("output.folder.why.site"));
    }
    if out == content || out.starts_with(&content) {
        return refuse(tr!("output.folder.why.content"));
    }
    for sub in ["static", "templates", "themes"] {
        if out.starts_with(root.join(sub)) {
            return refuse(tr!("output.folder.why.inside", folder = sub));
        }
    }
    Ok(())
}

/// Looks through an existing output folder before a build writes into it:
///
/// - removes the temporary files a killed build left (`kill -9` while
///   writing), so that they are never published;
/// - refuses, unless `force`, a folder holding files zhiku did not write
///   (none listed in its manifest): they are someone else's, and a build
///   would replace any of the same name (Zola's `--force` convention).
///   Hidden entries at the top (a publishing checkout's `.git`,
///   `.nojekyll`) and `CNAME` are left alone and do not count.
pub fn survey(out: &Path, force: bool) -> Result<(), Diagnostic> {
    let fail = |e: anyhow::Error| Diagnostic::error(out.display().to_string(), format!("{e:#}"));
    if !crate::fs::is_dir(out) {
        return Ok(());
    }
    let dir = Confined::new(out);
    let found = dir
        .survey(&|name| {
            (name.starts_with('.') && !crate::fs::is_temporary(name)) || name == "CNAME"
        })
        .map_err(fail)?;
    for rel in &found.temporaries {
        dir.remove_temporary(rel).map_err(fail)?;
    }
    if force {
        return Ok(());
    }
    let ours: BTreeSet<String> = read_manifest(&dir).map_err(fail)?.into_iter().collect();
    let mut foreign: Vec<String> = found
        .files
        .iter()
        .filter(|rel| !ours.contains(*rel))
        .map(|rel| format!("`{rel}`"))
        .chain(
            found
                .links
                .iter()
                .filter(|rel| !ours.contains(*rel))
                .map(|rel| tr!("output.folder.a_link", path = rel)),
        )
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown = &foreign[..foreign.len().min(3)];
    let files = shown.join(crate::messages::text("site.list_separator"));
    let message = match foreign.len() - shown.len() {
        0 => tr!("output.folder.foreign", files = files),
        n => tr!("output.folder.foreign_more", files = files, n = n),
    };
    Err(Diagnostic::error(out.display().to_string(), message)
        .with_hint(tr!("output.folder.foreign_hint")))
}

/// The canonical form of a path that may not exist yet: `.` and `..`
/// removed lexically, then its nearest existing ancestor canonicalised.
pub(crate) fn resolve(path: &Path) -> PathBuf {
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
    survey(out, true).map_err(|d| anyhow::anyhow!("{d}"))?;
    let writer = Writer::prepare(out)?;
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    writer.finish(files, &paths)
}

/// Receives output files as they are rendered, so the whole site never has
/// to sit in memory, and publishes them only when the whole build has
/// succeeded.
///
/// Each file is compared with what is on disk at once; an unchanged file
/// is dropped, a changed or new one is written under its temporary name
/// (`.index.html.zhiku-tmp-PID`, beside it). [`Writer::finish`] renames
/// them into place only when every one of them has been written, so a
/// full disk or a failed build never leaves a mix of old and new pages:
/// [`Writer::abort`] removes the temporaries (and the folders made for
/// them) and the previous site stays exactly as it was (issue 13).
///
/// Nothing is read, written or removed through a symbolic link
/// ([`crate::fs::Confined`]).
#[derive(Debug)]
pub struct Writer {
    out: Confined,
    created_out: bool,
    staged: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
    failed: AtomicBool,
    error: Mutex<Option<anyhow::Error>>,
}

impl Writer {
    /// Looks at the output folder; creates it when missing.
    pub fn prepare(out: &Path) -> Result<Writer> {
        let existed = crate::fs::is_dir(out);
        crate::fs::create_dir_all(out)?;
        Ok(Writer {
            out: Confined::new(out),
            created_out: !existed,
            staged: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            error: Mutex::new(None),
        })
    }

    /// Takes one rendered file: drops it when the disk already holds its
    /// bytes, or writes it under its temporary name. IO errors are kept
    /// for [`Writer::take_error`]; after one, nothing more is written.
    /// Returns nothing to keep (the signature the render stage expects).
    pub fn offer(&self, file: OutputFile) -> Option<OutputFile> {
        if self.failed.load(Ordering::Relaxed) {
            return None;
        }
        match self.out.read_if_exists(&file.path) {
            Ok(Some(old)) if old == file.bytes => {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
            }
            Ok(_) => match self.out.write_temporary(&file.path, &file.bytes) {
                Ok(()) => lock(&self.staged).push(file.path),
                Err(e) => self.fail(e),
            },
            Err(e) => self.fail(e),
        }
        None
    }

    fn fail(&self, e: anyhow::Error) {
        self.failed.store(true, Ordering::Relaxed);
        lock(&self.error).get_or_insert(e);
    }

    /// The first IO error met while offering, if any.
    pub fn take_error(&self) -> Option<anyhow::Error> {
        lock(&self.error).take()
    }

    /// The build failed: removes every temporary file and the folders made
    /// for them (and the output folder, if it created it). The previous
    /// site was not touched.
    pub fn abort(self) {
        self.discard_staged();
        self.out.remove_created_folders();
        if self.created_out {
            crate::fs::remove_dir_if_empty(self.out.root());
        }
    }

    fn discard_staged(&self) {
        for rel in lock(&self.staged).iter() {
            self.out.discard(rel);
        }
    }

    /// The build succeeded: renames the written files into place, removes
    /// files of the previous build that are no longer produced, and
    /// records what this build produced. `pending` are files not offered
    /// yet; `paths` are all output paths.
    pub fn finish(self, pending: Vec<OutputFile>, paths: &[String]) -> Result<WriteReport> {
        for file in pending {
            self.offer(file);
        }
        if let Some(e) = self.take_error() {
            self.abort();
            return Err(e);
        }
        let manifest = match read_manifest_text(&self.out) {
            Ok(text) => text,
            Err(e) => {
                self.abort();
                return Err(e);
            }
        };
        let previous = sorted(manifest_paths(&manifest).into_iter());
        let current = sorted(paths.iter().map(String::as_str));
        let staged = std::mem::take(&mut *lock(&self.staged));
        // Every file about to appear is listed before it appears, so that
        // a build killed while renaming leaves no file of ours unlisted.
        let mut on_disk = Some(manifest.as_bytes());
        if staged
            .iter()
            .any(|p| previous.binary_search(&p.as_str()).is_err())
        {
            let both = sorted(previous.iter().chain(&current).copied());
            if let Err(e) = write_manifest(&self.out, &both, None) {
                *lock(&self.staged) = staged;
                self.abort();
                return Err(e);
            }
            on_disk = None;
        }
        if let Err(e) = staged.par_iter().try_for_each(|rel| self.out.commit(rel)) {
            // A rename failed after every file was written (it does not
            // need space): what was renamed stays, the rest is removed.
            for rel in &staged {
                self.out.discard(rel);
            }
            return Err(e);
        }
        let mut report = WriteReport {
            written: staged.len(),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: 0,
        };
        for stale in missing(&previous, &current) {
            // Only a file reached without links, inside the output: a
            // tampered manifest cannot make us remove anything else.
            if crate::fs::is_plain_relative(stale) && self.out.remove_file(stale)? {
                report.removed += 1;
            }
        }
        write_manifest(&self.out, &current, on_disk)?;
        Ok(report)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave them inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `paths` sorted, each once: the manifest's order.
fn sorted<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut paths: Vec<&str> = paths.collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

/// The paths of `from` that `to` lacks; both sorted.
fn missing<'a>(from: &[&'a str], to: &[&str]) -> Vec<&'a str> {
    let mut to = to.iter().peekable();
    let mut out = Vec::new();
    for &path in from {
        while to.next_if(|t| **t < path).is_some() {}
        if to.next_if(|t| **t == path).is_none() {
            out.push(path);
        }
    }
    out
}

/// Writes the manifest unless it already lists exactly `paths` (sorted):
/// `on_disk` is its text when the caller has read it, else it is read.
fn write_manifest(out: &Confined, paths: &[&str], on_disk: Option<&[u8]>) -> Result<()> {
    let mut text = String::with_capacity(paths.iter().map(|p| p.len() + 1).sum());
    for p in paths {
        text.push_str(p);
        text.push('\n');
    }
    let old = match on_disk {
        Some(old) => Some(std::borrow::Cow::Borrowed(old)),
        None => out.read_if_exists(MANIFEST)?.map(std::borrow::Cow::Owned),
    };
    match old {
        // (An empty text is written: it may stand for no manifest.)
        Some(old) if !old.is_empty() && *old == *text.as_bytes() => Ok(()),
        _ => out.write(MANIFEST, text.as_bytes()),
    }
}

/// The manifest's text; empty when there is none.
fn read_manifest_text(out: &Confined) -> Result<String> {
    let bytes = out.read_if_exists(MANIFEST)?.unwrap_or_default();
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// The paths a manifest's text lists.
fn manifest_paths(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

fn read_manifest(out: &Confined) -> Result<Vec<String>> {
    let text = read_manifest_text(out)?;
    Ok(manifest_paths(&text)
        .into_iter()
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_paths_a_build_no_longer_makes() {
        let from = ["a/index.html", "b.css", "c/index.html", "d.js"];
        assert_eq!(
            missing(&from, &["a/index.html", "a/x.png", "c/index.html", "e"]),
            ["b.css", "d.js"]
        );
        assert_eq!(missing(&from, &[]), from);
        assert!(missing(&from, &from).is_empty());
        assert!(missing(&[], &from).is_empty());
    }

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

    #[test]
    fn a_refused_output_folder_says_why_in_either_language() {
        use crate::messages::{Lang, format_in, text_in};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("static")).unwrap();
        let d = check_output_dir(&root, &root.join("static/out")).unwrap_err();
        let why = |lang| format_in(lang, "output.folder.why.inside", &[("folder", &"static")]);
        let message = |lang| format_in(lang, "output.folder.refuse", &[("why", &why(lang))]);
        assert_eq!(d.message, message(Lang::En));
        assert_eq!(
            d.message,
            "refusing to use this output folder: it is inside the site's `static` folder"
        );
        assert_eq!(
            message(Lang::Zh),
            "不能使用这个输出文件夹：它在知识库的 `static` 文件夹里面"
        );
        assert!(text_in(Lang::Zh, "output.folder.refuse_hint").contains("`-o DIR`"));
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
        writer.offer(OutputFile {
            path: "a/b/index.html".into(),
            bytes: b"x".to_vec(),
        });
        assert!(
            !out.join("a/b/index.html").exists(),
            "published before finish"
        );
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
        writer.offer(OutputFile {
            path: "index.html".into(),
            bytes: b"new".to_vec(),
        });
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        writer.abort();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
    }
}
