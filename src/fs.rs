//! File-system access whose errors name the path.
//!
//! Nothing else in the crate calls `std::fs` directly (the mdBook
//! `utils/fs.rs` habit), so every IO error a user sees says which file it was
//! about. Writes are atomic: a temporary file beside the target, then a
//! rename, so a reader (a browser, a web server) never sees half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::tr;

mod confined;
pub use confined::{Confined, Survey, is_plain_relative, is_temporary};

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| tr!("output.fs.read", path = path.display()))
}

/// Reads a whole file as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| tr!("output.fs.read", path = path.display()))
}

/// Reads a file if it exists; `Ok(None)` when it does not.
pub fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| tr!("output.fs.read", path = path.display())),
    }
}

/// The first `n` bytes of a file (fewer if it is shorter); `Ok(None)`
/// when it does not exist.
pub fn read_prefix(path: &Path, n: usize) -> Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| tr!("output.fs.read", path = path.display())),
    };
    let mut head = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut head)
        .with_context(|| tr!("output.fs.read", path = path.display()))?;
    Ok(Some(head))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| tr!("output.fs.create", path = path.display()))
}

/// The temporary name zhiku writes `path` under before renaming it into
/// place (`.index.html.zhiku-tmp-PID`, beside it): one spelling, which
/// [`is_temporary`] recognises.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(confined::temporary_name(&name))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_dir_all(dir)?;
    let tmp = temporary_beside(path);
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.flush()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| tr!("output.fs.write", path = path.display()))
}

/// A file that appears at its path only once complete: written under a
/// temporary name in the same folder, renamed over the target by
/// [`AtomicFile::commit`], and removed if dropped before that. For output
/// too large to hold in memory (a zip of the site).
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Creates the temporary file beside `path` (and `path`'s folder).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        create_dir_all(dir)?;
        let tmp = temporary_beside(path);
        let file = std::fs::File::create(&tmp)
            .with_context(|| tr!("output.fs.write", path = tmp.display()))?;
        Ok(AtomicFile {
            target: path.to_path_buf(),
            tmp,
            file: Some(std::io::BufWriter::new(file)),
        })
    }

    /// Flushes the file to disk and renames it over the target.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("not yet committed");
        let result = (|| -> std::io::Result<()> {
            // On disk before the rename: the file may be carried away on a
            // USB stick right after the command returns.
            file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&self.tmp, &self.target)
        })();
        result.with_context(|| tr!("output.fs.write", path = self.target.display()))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("not yet committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Committed (renamed) or not, nothing may stay under the
        // temporary name.
        self.file = None;
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes a file in place, creating its folder if needed. Not atomic: for
/// files that did not exist (a new output file, `zhiku init`).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let result = std::fs::write(path, bytes);
    let result = match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_dir_all(path.parent().unwrap_or_else(|| Path::new(".")))?;
            std::fs::write(path, bytes)
        }
        other => other,
    };
    result.with_context(|| tr!("output.fs.write", path = path.display()))
}

/// Creates a file with `bytes` unless something already has its name
/// (a file, a folder, or a symbolic link, which is not followed); returns
/// whether it was written. The parent folder must exist.
pub fn write_if_absent(path: &Path, bytes: &[u8]) -> Result<bool> {
    use std::io::Write;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| tr!("output.fs.create", path = path.display())),
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| tr!("output.fs.write", path = path.display()))?;
    Ok(true)
}

/// Removes a file; a file that is already gone is not an error.
pub fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| tr!("output.fs.remove", path = path.display())),
    }
}

/// Removes a folder if it is empty; anything else is left alone.
pub fn remove_dir_if_empty(path: &Path) -> bool {
    std::fs::remove_dir(path).is_ok()
}

/// Creates a new folder `PREFIX-PID-N` under `parent`, with the first N
/// that does not exist yet: a folder of this process alone. It is created
/// exclusively (a folder someone prepared under that name is never used)
/// and, on Unix, readable and writable by this user only (mode 0700), so
/// that no other user of a shared temporary folder can change it.
pub fn create_unique_dir(parent: &Path, prefix: &str) -> Result<PathBuf> {
    create_dir_all(parent)?;
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    for n in 0.. {
        let dir = parent.join(format!("{prefix}-{}-{n}", std::process::id()));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e).with_context(|| tr!("output.fs.create", path = dir.display())),
        }
    }
    unreachable!("some folder name is free")
}

/// Removes a folder and everything in it; one already gone is not an error.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| tr!("output.fs.remove", path = path.display())),
    }
}

/// The canonical form of `path` (symlinks resolved), or an error naming it.
pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| tr!("output.fs.resolve", path = path.display()))
}

/// Metadata without following a final symlink.
pub fn symlink_metadata(path: &Path) -> Option<std::fs::Metadata> {
    std::fs::symlink_metadata(path).ok()
}

/// What `path` leads to (following links), as a value two paths share only
/// when they reach the same folder or file: device and inode on Unix, the
/// canonical path elsewhere. A walk compares it with the folders it is in
/// to notice a link that leads back to one of them.
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        use std::hash::{Hash, Hasher};
        std::fs::canonicalize(path).ok().map(|p| {
            let mut h = crate::hash::FastHasher::default();
            p.hash(&mut h);
            (0, h.finish())
        })
    }
}

/// Whether `path` is an existing folder.
pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// Whether `path` is a file (following symlinks).
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// Whether `path` exists (following symlinks).
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// The entries of a folder, sorted by file name so that every walk is
/// deterministic.
pub fn read_dir_sorted(path: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let mut entries = std::fs::read_dir(path)
        .with_context(|| tr!("output.fs.list", path = path.display()))?
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| tr!("output.fs.list", path = path.display()))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/index.html");
        write_atomic(&target, b"hello").unwrap();
        write_atomic(&target, b"again").unwrap();
        assert_eq!(read(&target).unwrap(), b"again");
        let names: Vec<_> = read_dir_sorted(target.parent().unwrap())
            .unwrap()
            .into_iter()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec!["index.html"]);
    }

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site.zip");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"zip").unwrap();
        assert!(!target.exists());
        file.commit().unwrap();
        assert_eq!(read(&target).unwrap(), b"zip");

        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(
            read(&target).unwrap(),
            b"zip",
            "an abandoned write replaced the file"
        );
        let names: Vec<_> = read_dir_sorted(dir.path())
            .unwrap()
            .into_iter()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec!["site.zip"]);
    }

    #[test]
    fn unique_dirs_are_distinct_and_removable() {
        let dir = tempfile::tempdir().unwrap();
        let a = create_unique_dir(dir.path(), "zhiku-test").unwrap();
        let b = create_unique_dir(dir.path(), "zhiku-test").unwrap();
        assert_ne!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&a).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        }
        write_new(&a.join("x/y.html"), b"y").unwrap();
        remove_dir_all(&a).unwrap();
        remove_dir_all(&a).unwrap();
        assert!(!a.exists() && b.exists());
    }

    #[test]
    fn errors_name_the_path() {
        let err = read(Path::new("/no/such/zhiku/file")).unwrap_err();
        assert!(format!("{err:#}").contains("/no/such/zhiku/file"));
    }
}
