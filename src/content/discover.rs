//! Walks `content/` (and `static/`) into a list of source files, unparsed.
//!
//! 1. Entries are visited in file-name order, so every later stage sees the
//!    same order on every machine.
//! 2. Hidden files and editor droppings (`*.swp`, `*~`, `#*#`,
//!    `*___jb_tmp___`, `.kate-swp`) are skipped: they appear and vanish
//!    while an editor saves and must never become pages.
//! 3. A symlink is followed only when it stays inside the walked root; one
//!    that leaves it is reported, never read.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// What a discovered file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A Markdown page or section index (`*.md`).
    Markdown,
    /// Anything else (images, PDFs): copied next to the page output.
    Asset,
}

/// One file found under a root, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the walked root, with `/` separators.
    pub rel: String,
    /// Absolute path on disk.
    pub path: PathBuf,
    /// Markdown or asset.
    pub kind: SourceKind,
}

/// Everything found under one root.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files in walk order.
    pub files: Vec<SourceFile>,
    /// Folders (relative, `/`-separated, `""` for the root) in walk order.
    pub dirs: Vec<String>,
    /// Faults (symlinks out of the root, unreadable folders).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file name is an editor's temporary or backup file, hidden,
/// or one that no site would publish: vim's `4913` probe (created and
/// deleted while it saves), Office's `~$x.docx` owner file, Windows'
/// `Thumbs.db` and `desktop.ini`. The file watcher ignores the same names.
pub fn is_ignored_name(name: &str) -> bool {
    is_vim_probe(name)
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".kate-swp")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// vim checks that it may create files in a folder by creating and deleting
/// `4913`, or `4913 + 123·k` while that name is taken (vim's `bufwrite.c`).
fn is_vim_probe(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_digit())
        && name
            .parse::<u64>()
            .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
}

/// Walks `root`, which must exist. `label` prefixes paths in diagnostics
/// (e.g. `content`).
pub fn discover(root: &Path, label: &str) -> Discovered {
    let mut found = Discovered::default();
    let canonical_root = match crate::fs::canonicalize(root) {
        Ok(p) => p,
        Err(e) => {
            found
                .diagnostics
                .push(Diagnostic::error(label, format!("{e:#}")));
            return found;
        }
    };
    walk(&canonical_root, root, "", label, &mut found);
    found
}

fn walk(canonical_root: &Path, dir: &Path, rel: &str, label: &str, found: &mut Discovered) {
    found.dirs.push(rel.to_string());
    let entries = match crate::fs::read_dir_sorted(dir) {
        Ok(entries) => entries,
        Err(e) => {
            found
                .diagnostics
                .push(Diagnostic::error(join(label, rel), format!("{e:#}")));
            return;
        }
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let path = entry.path();
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Some(meta) = crate::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() && !stays_inside(canonical_root, &path) {
            found.diagnostics.push(
                Diagnostic::error(join(label, &child_rel), "symlink points outside the site")
                    .with_hint("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        if path.is_dir() {
            walk(canonical_root, &path, &child_rel, label, found);
        } else if path.is_file() {
            let kind = if name.ends_with(".md") {
                SourceKind::Markdown
            } else {
                SourceKind::Asset
            };
            found.files.push(SourceFile {
                rel: child_rel,
                path,
                kind,
            });
        }
    }
}

fn stays_inside(canonical_root: &Path, path: &Path) -> bool {
    crate::fs::canonicalize(path).is_ok_and(|target| target.starts_with(canonical_root))
}

fn join(label: &str, rel: &str) -> String {
    if rel.is_empty() {
        label.to_string()
    } else {
        format!("{label}/{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_droppings() {
        for name in [
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            "a.md___jb_tmp___",
            ".kate-swp",
            ".hidden.md",
            "4913.tmp",
            "4913",
            "5036",
            "~$议程.docx",
            "Thumbs.db",
            "desktop.ini",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["a.md", "图片.png", "_index.md", "4913.md", "4914"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[test]
    fn can_walk_in_sorted_order_and_reject_escaping_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        std::fs::write(root.join("b/c/z.md"), "x").unwrap();
        std::fs::write(root.join("a.md"), "x").unwrap();
        std::fs::write(root.join("b/pic.png"), "x").unwrap();
        std::fs::write(root.join("b/a.md.swp"), "x").unwrap();
        std::fs::write(dir.path().join("secret.md"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("leak.md")).unwrap();
        let found = discover(&root, "content");
        let rels: Vec<_> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["a.md", "b/c/z.md", "b/pic.png"]);
        assert_eq!(found.dirs, ["", "b", "b/c"]);
        assert_eq!(found.files[2].kind, SourceKind::Asset);
        #[cfg(unix)]
        assert_eq!(found.diagnostics[0].path, PathBuf::from("content/leak.md"));
    }
}
