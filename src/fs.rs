//! File-system access whose errors name the path.
//!
//! Nothing else in the crate calls `std::fs` directly (the mdBook
//! `utils/fs.rs` habit), so every IO error a user sees says which file it was
//! about. Writes are atomic: a temporary file beside the target, then a
//! rename, so a reader (a browser, a web server) never sees half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Reads a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads a whole file as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads a file if it exists; `Ok(None)` when it does not.
pub fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.zhiku-tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.flush()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
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
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Removes a file; a file that is already gone is not an error.
pub fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

/// Removes a folder if it is empty; anything else is left alone.
pub fn remove_dir_if_empty(path: &Path) -> bool {
    std::fs::remove_dir(path).is_ok()
}

/// The canonical form of `path` (symlinks resolved), or an error naming it.
pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))
}

/// Metadata without following a final symlink.
pub fn symlink_metadata(path: &Path) -> Option<std::fs::Metadata> {
    std::fs::symlink_metadata(path).ok()
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
        .with_context(|| format!("cannot list {}", path.display()))?
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot list {}", path.display()))?;
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
    fn errors_name_the_path() {
        let err = read(Path::new("/no/such/zhiku/file")).unwrap_err();
        assert!(format!("{err:#}").contains("/no/such/zhiku/file"));
    }
}
