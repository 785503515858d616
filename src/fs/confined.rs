//! File operations confined to one folder (a build's output): nothing is
//! ever read, written, renamed or removed through a symbolic link.
//!
//! A site repository can hold a committed `public/assets -> ../../elsewhere`;
//! writing `public/assets/zhiku.css` through it would change files far from
//! the output (issue 13). So every folder on the way to a file is looked at
//! without following links (`lstat`), once per [`Confined`], and created
//! one at a time when missing; a link in the way is an error that names it.
//! Temporary files are created exclusively (`O_EXCL` does not follow a link
//! at the final name either), and a rename replaces a link at the target
//! rather than writing through it.
//!
//! The check is made before each operation, not atomically with it: it
//! protects against links that are already there (in a repository, a
//! download, a folder someone prepared), which is what the output of a
//! build meets. `zhiku serve` builds into a private folder (mode 0700) that
//! no other user can change under it.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::tr;

/// The mark of temporary files, before the process id:
/// `.index.html.zhiku-tmp-1234`.
const TEMP_MARK: &str = ".zhiku-tmp-";

/// Whether a file name is one of zhiku's temporary files
/// (`.NAME.zhiku-tmp-PID`), of this or any earlier process.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(TEMP_MARK)
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// A relative path (`/`-separated) is only acted on when it is plain: a
/// tampered manifest or a crafted slug must not reach outside the folder.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// A folder whose files are reached only through real folders.
#[derive(Debug)]
pub struct Confined {
    root: PathBuf,
    /// Folders (relative) already seen to be real folders, not links.
    real: Mutex<HashSet<String>>,
    /// Folders (relative) this value created, in order.
    created: Mutex<Vec<String>>,
}

/// What a folder holds, from [`Confined::survey`].
#[derive(Debug, Default)]
pub struct Survey {
    /// Regular files, by relative path.
    pub files: Vec<String>,
    /// Symbolic links (to files or folders), not followed.
    pub links: Vec<String>,
    /// zhiku's temporary files, left by a build that was killed.
    pub temporaries: Vec<String>,
}

/// Where the folder of a path stands.
enum Folder {
    /// Every folder on the way is real; the absolute path of the last.
    Real(PathBuf),
    /// A folder on the way does not exist.
    Missing,
    /// A folder on the way is a link (or not a folder): the error.
    Blocked(anyhow::Error),
}

impl Confined {
    /// Operations under `root`, which the caller has checked (it may be a
    /// link the caller accepted, such as a site's `public -> build/out`).
    pub fn new(root: &Path) -> Confined {
        Confined {
            root: root.to_path_buf(),
            real: Mutex::new(HashSet::new()),
            created: Mutex::new(Vec::new()),
        }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads `rel` if it exists. A link at `rel`, or on the way to it, is
    /// an error naming it.
    pub fn read_if_exists(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        let path = match self.folder_of(rel, false)? {
            Folder::Real(dir) => dir.join(file_name(rel)),
            Folder::Missing => return Ok(None),
            Folder::Blocked(e) => return Err(e),
        };
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| tr!("output.fs.read", path = path.display())),
            Ok(meta) if meta.file_type().is_symlink() => return Err(link_error(&path)),
            Ok(_) => {}
        }
        super::read(&path).map(Some)
    }

    /// Writes `bytes` under the temporary name of `rel` (creating its
    /// folders): [`Confined::commit`] renames it into place,
    /// [`Confined::discard`] removes it.
    pub fn write_temporary(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let dir = match self.folder_of(rel, true)? {
            Folder::Real(dir) => dir,
            Folder::Missing => unreachable!("folders are created"),
            Folder::Blocked(e) => return Err(e),
        };
        let tmp = dir.join(temporary_name(file_name(rel)));
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
        };
        let result = (|| -> std::io::Result<()> {
            let mut file = match create() {
                // A leftover of a process with our id (ids are reused):
                // removing it removes a link itself, never its target.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::fs::remove_file(&tmp)?;
                    create()?
                }
                other => other?,
            };
            file.write_all(bytes)?;
            file.flush()
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        let target = dir.join(file_name(rel));
        result.with_context(|| tr!("output.fs.write", path = target.display()))
    }

    /// Renames the temporary file of `rel` over `rel`.
    pub fn commit(&self, rel: &str) -> Result<()> {
        let dir = self.root.join(parent_of(rel));
        let target = dir.join(file_name(rel));
        std::fs::rename(dir.join(temporary_name(file_name(rel))), &target)
            .with_context(|| tr!("output.fs.write", path = target.display()))
    }

    /// Removes the temporary file of `rel`, if any.
    pub fn discard(&self, rel: &str) {
        let dir = self.root.join(parent_of(rel));
        let _ = std::fs::remove_file(dir.join(temporary_name(file_name(rel))));
    }

    /// Writes `rel` at once: temporary file, then rename.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_temporary(rel, bytes)?;
        let result = self.commit(rel);
        if result.is_err() {
            self.discard(rel);
        }
        result
    }

    /// Removes `rel` when it is a file reached through real folders only;
    /// a link (there or on the way) or a folder is left alone. Returns
    /// whether a file was removed. Empty folders left behind go too.
    pub fn remove_file(&self, rel: &str) -> Result<bool> {
        let Folder::Real(dir) = self.folder_of(rel, false)? else {
            return Ok(false);
        };
        let path = dir.join(file_name(rel));
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {}
            _ => return Ok(false),
        }
        super::remove_file(&path)?;
        self.remove_empty_parents(rel);
        Ok(true)
    }

    /// Removes the empty folders on the way to `rel`, deepest first, up
    /// to (not including) the root. `rmdir` never follows a link.
    pub fn remove_empty_parents(&self, rel: &str) {
        let mut dir = parent_of(rel);
        while !dir.is_empty() {
            if std::fs::remove_dir(self.root.join(dir)).is_err() {
                break;
            }
            lock(&self.real).remove(dir);
            dir = parent_of(dir);
        }
    }

    /// Removes the folders this value created that are empty again,
    /// deepest first.
    pub fn remove_created_folders(&self) {
        let created = std::mem::take(&mut *lock(&self.created));
        for dir in created.iter().rev() {
            let _ = std::fs::remove_dir(self.root.join(dir));
            lock(&self.real).remove(dir);
        }
    }

    /// Every entry under the folder, without following links: files
    /// (and links, which are never entered) by relative path, and zhiku's
    /// temporary files apart. `skip_top` leaves out entries at the top
    /// whose name it accepts (a publishing checkout's `.git`).
    pub fn survey(&self, skip_top: &dyn Fn(&str) -> bool) -> Result<Survey> {
        fn walk(
            dir: &Path,
            prefix: &str,
            skip: &dyn Fn(&str) -> bool,
            out: &mut Survey,
        ) -> Result<()> {
            for entry in super::read_dir_sorted(dir)? {
                let name = entry.file_name().to_string_lossy().into_owned();
                if prefix.is_empty() && skip(&name) {
                    continue;
                }
                let rel = format!("{prefix}{name}");
                let kind = entry
                    .file_type()
                    .with_context(|| tr!("output.fs.read", path = entry.path().display()))?;
                if kind.is_dir() {
                    walk(&entry.path(), &format!("{rel}/"), skip, out)?;
                } else if kind.is_symlink() {
                    out.links.push(rel);
                } else if is_temporary(&name) {
                    out.temporaries.push(rel);
                } else {
                    out.files.push(rel);
                }
            }
            Ok(())
        }
        let mut survey = Survey::default();
        if super::is_dir(&self.root) {
            walk(&self.root, "", skip_top, &mut survey)?;
        }
        Ok(survey)
    }

    /// Removes a leftover temporary file (of any process) at `rel`.
    pub fn remove_temporary(&self, rel: &str) -> Result<bool> {
        if !is_temporary(file_name(rel)) {
            return Ok(false);
        }
        let Folder::Real(dir) = self.folder_of(rel, false)? else {
            return Ok(false);
        };
        let path = dir.join(file_name(rel));
        super::remove_file(&path)?;
        Ok(true)
    }

    /// Checks (and, with `create`, makes) every folder on the way to
    /// `rel`, without following links.
    fn folder_of(&self, rel: &str, create: bool) -> Result<Folder> {
        if !is_plain_relative(rel) {
            bail!(tr!("output.fs.not_plain", path = format!("{rel:?}")));
        }
        let parent = parent_of(rel);
        if parent.is_empty() || lock(&self.real).contains(parent) {
            return Ok(Folder::Real(self.root.join(parent)));
        }
        let mut end = 0;
        for part in parent.split('/') {
            end += part.len();
            let sub = &parent[..end];
            end += 1;
            if lock(&self.real).contains(sub) {
                continue;
            }
            let path = self.root.join(sub);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Ok(Folder::Blocked(link_error(&path)));
                }
                Ok(meta) if !meta.is_dir() => {
                    return Ok(Folder::Blocked(anyhow::anyhow!(tr!(
                        "output.fs.file_in_the_way",
                        path = path.display()
                    ))));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if !create {
                        return Ok(Folder::Missing);
                    }
                    match std::fs::create_dir(&path) {
                        Ok(()) => lock(&self.created).push(sub.to_string()),
                        // Made by another thread of this build just now;
                        // looked at again below.
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            return self.folder_of(rel, create);
                        }
                        Err(e) => {
                            return Err(e)
                                .with_context(|| tr!("output.fs.create", path = path.display()));
                        }
                    }
                }
                Err(e) => {
                    return Err(e).with_context(|| tr!("output.fs.read", path = path.display()));
                }
            }
            lock(&self.real).insert(sub.to_string());
        }
        Ok(Folder::Real(self.root.join(parent)))
    }
}

/// The error for a link in the way, naming it and where it leads.
fn link_error(path: &Path) -> anyhow::Error {
    let message = match std::fs::read_link(path) {
        Ok(target) => tr!(
            "output.fs.link_in_the_way_to",
            path = path.display(),
            target = target.display()
        ),
        Err(_) => tr!("output.fs.link_in_the_way", path = path.display()),
    };
    anyhow::anyhow!(message)
}

pub(super) fn temporary_name(name: &str) -> String {
    format!(".{name}{TEMP_MARK}{}", std::process::id())
}

fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, name)| name)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Sets of paths: a panic elsewhere cannot leave them inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_temporary_names() {
        assert!(is_temporary(".index.html.zhiku-tmp-1234"));
        assert!(is_temporary(temporary_name("a.css").as_str()));
        for name in [
            "index.html",
            ".zhiku-tmp-",
            ".a.zhiku-tmp-",
            "a.zhiku-tmp-1",
            ".a.zhiku-tmp-1x",
        ] {
            assert!(!is_temporary(name), "{name}");
        }
    }

    #[test]
    fn plain_relative_paths_only() {
        assert!(is_plain_relative("a/b/index.html"));
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/../../x",
            "a//b",
            "a\\b",
            "./a",
        ] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }

    #[test]
    fn writes_commits_and_removes_through_real_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = Confined::new(dir.path());
        out.write("a/b/index.html", b"x").unwrap();
        assert_eq!(out.read_if_exists("a/b/index.html").unwrap().unwrap(), b"x");
        assert!(out.read_if_exists("a/c/index.html").unwrap().is_none());
        assert!(out.remove_file("a/b/index.html").unwrap());
        assert!(!dir.path().join("a").exists(), "empty folders left behind");
    }

    #[test]
    fn abandoned_temporaries_and_created_folders_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = Confined::new(dir.path());
        std::fs::create_dir(dir.path().join("kept")).unwrap();
        out.write_temporary("kept/new/x.html", b"x").unwrap();
        out.discard("kept/new/x.html");
        out.remove_created_folders();
        assert!(dir.path().join("kept").is_dir());
        assert!(!dir.path().join("kept/new").exists());
    }

    #[cfg(unix)]
    #[test]
    fn never_goes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        std::fs::write(victim.join("keys"), "secret").unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir(&root).unwrap();
        std::os::unix::fs::symlink(&victim, root.join("assets")).unwrap();
        std::os::unix::fs::symlink(victim.join("keys"), root.join("keys")).unwrap();
        let out = Confined::new(&root);
        let err = out.write("assets/zhiku.css", b"x").unwrap_err();
        assert!(
            format!("{err:#}").contains("assets is a symbolic link"),
            "{err:#}"
        );
        assert!(out.read_if_exists("assets/keys").is_err());
        assert!(out.read_if_exists("keys").is_err());
        assert!(!out.remove_file("assets/keys").unwrap());
        assert!(!out.remove_file("keys").unwrap());
        assert!(!victim.join("zhiku.css").exists());
        assert_eq!(
            std::fs::read_to_string(victim.join("keys")).unwrap(),
            "secret"
        );
        // A rename replaces a link at the target; it does not write through it.
        out.write("keys", b"mine").unwrap();
        assert_eq!(
            std::fs::read_to_string(victim.join("keys")).unwrap(),
            "secret"
        );
    }
}
