//! Walks `content/` (and `static/`) into a list of source files, unparsed.
//!
//! 1. Entries are visited in file-name order, so every later stage sees the
//!    same order on every machine.
//! 2. Hidden files and editor droppings (`*.swp`, `*~`, `#*#`,
//!    `*___jb_tmp___`, `.kate-swp`) are skipped: they appear and vanish
//!    while an editor saves and must never become pages.
//! 3. A symlink is followed only when it stays inside the walked root; one
//!    that leaves it is reported, never read. One that leads back to a
//!    folder the walk is already in (`loop/up -> ..`) is reported too, and
//!    not entered: the walk would never end.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::tr;

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

/// The name of a Markdown file without its extension: `.md` or
/// `.markdown`, in any case (`UPPER.MD` is a page, not an asset to copy).
pub fn markdown_stem(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && (ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown")))
        .then_some(stem)
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
    let mut walker = Walker {
        canonical_root: &canonical_root,
        label,
        open: Vec::new(),
        found: &mut found,
    };
    walker.walk(root, "");
    found
}

/// A walk in progress.
struct Walker<'a> {
    canonical_root: &'a Path,
    label: &'a str,
    /// The folders the walk is in, outermost first: their identity
    /// ([`crate::fs::identity`]) and relative path.
    open: Vec<((u64, u64), String)>,
    found: &'a mut Discovered,
}

impl Walker<'_> {
    fn walk(&mut self, dir: &Path, rel: &str) {
        if let Some(id) = crate::fs::identity(dir) {
            if let Some((_, inside)) = self.open.iter().find(|(open, _)| *open == id) {
                let target = if inside.is_empty() {
                    tr!("discover.itself", path = self.label)
                } else {
                    tr!("discover.folder_it_is_in", path = join(self.label, inside))
                };
                self.found.diagnostics.push(
                    Diagnostic::error(
                        join(self.label, rel),
                        tr!("discover.symlink_loop", target = target),
                    )
                    .with_hint(tr!("discover.symlink_loop_hint")),
                );
                return;
            }
            self.open.push((id, rel.to_string()));
        }
        list(self, dir, rel);
        self.open.pop();
    }
}

/// Why a symlink in `content/` cannot be read as part of the site, if it
/// cannot: it leads outside the site, nowhere, or around in a loop.
fn symlink_problem(path: &Path, canonical_root: &Path) -> Option<(String, String)> {
    match crate::fs::canonicalize(path) {
        Ok(target) if target.starts_with(canonical_root) => None,
        Ok(_) => Some((
            tr!("discover.symlink_outside"),
            tr!("discover.symlink_outside_hint"),
        )),
        Err(e) => Some((
            tr!("discover.symlink_broken", error = e.root_cause()),
            tr!("discover.symlink_broken_hint"),
        )),
    }
}

/// Lists one folder: its files, and the folders in it through
/// [`Walker::walk`].
fn list(walker: &mut Walker<'_>, dir: &Path, rel: &str) {
    let (canonical_root, label) = (walker.canonical_root, walker.label);
    walker.found.dirs.push(rel.to_string());
    let entries = match crate::fs::read_dir_sorted(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walker
                .found
                .diagnostics
                .push(Diagnostic::error(join(label, rel), format!("{e:#}")));
            return;
        }
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if is_ignored_name(&name) {
            // A hidden Markdown file (`..a.md`, `.draft.md`) looks like a
            // page to its writer: say why it is not one.
            if name.starts_with('.') && markdown_stem(&name).is_some() {
                walker.found.diagnostics.push(
                    Diagnostic::warning(join(label, &child_rel), tr!("discover.hidden"))
                        .with_hint(tr!("discover.hidden_hint")),
                );
            }
            continue;
        }
        let path = entry.path();
        let Some(meta) = crate::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink()
            && let Some((message, hint)) = symlink_problem(&path, canonical_root)
        {
            walker
                .found
                .diagnostics
                .push(Diagnostic::error(join(label, &child_rel), message).with_hint(hint));
            continue;
        }
        if path.is_dir() {
            walker.walk(&path, &child_rel);
        } else if path.is_file() {
            let kind = if markdown_stem(&name).is_some() {
                SourceKind::Markdown
            } else {
                SourceKind::Asset
            };
            walker.found.files.push(SourceFile {
                rel: child_rel,
                path,
                kind,
            });
        }
    }
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

    #[cfg(unix)]
    #[test]
    fn reports_a_link_back_to_a_parent_and_walks_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/x.md"), "x").unwrap();
        std::os::unix::fs::symlink("..", root.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink(".", root.join("here")).unwrap();
        std::os::unix::fs::symlink("me", root.join("me")).unwrap();
        let found = discover(&root, "content");
        let rels: Vec<_> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["a/b/x.md"]);
        let messages: Vec<(String, String)> = found
            .diagnostics
            .iter()
            .map(|d| (d.path.display().to_string(), d.message.clone()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages.contains(&(
            "content/a/b/up".into(),
            "symlink loop: this link leads back to `content/a`, a folder it is in".into()
        )));
        assert!(messages.contains(&(
            "content/here".into(),
            "symlink loop: this link leads back to `content` itself".into()
        )));
        assert!(
            messages
                .iter()
                .any(|(p, m)| p == "content/me" && m.starts_with("symlink cannot be followed")),
            "{messages:#?}"
        );
    }

    #[test]
    fn markdown_extensions_in_any_case_are_pages_and_hidden_ones_are_said() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        std::fs::create_dir_all(&root).unwrap();
        for name in [
            "UPPER.MD",
            "x.markdown",
            "..a.md",
            ".draft.md",
            ".DS_Store",
            "b.md.swp",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let found = discover(&root, "content");
        let files: Vec<_> = found
            .files
            .iter()
            .map(|f| (f.rel.as_str(), f.kind))
            .collect();
        assert_eq!(
            files,
            [
                ("UPPER.MD", SourceKind::Markdown),
                ("x.markdown", SourceKind::Markdown)
            ]
        );
        // The hidden Markdown files are named in a warning; other hidden
        // names and editor droppings stay quiet.
        let warned: Vec<_> = found
            .diagnostics
            .iter()
            .map(|d| (d.path.display().to_string(), d.is_error()))
            .collect();
        assert_eq!(
            warned,
            [
                ("content/..a.md".to_string(), false),
                ("content/.draft.md".to_string(), false)
            ]
        );
        assert_eq!(markdown_stem("a.Markdown"), Some("a"));
        assert_eq!(markdown_stem(".md"), None);
        assert_eq!(markdown_stem("a.mdx"), None);
    }
}
