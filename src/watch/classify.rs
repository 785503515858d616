//! The pure half of the watcher: what a changed path means for the site.
//!
//! No IO here, so every rule is a row in a table test (Zola's
//! `src/fs_utils.rs` habit). The rules mirror what a build reads:
//! [`crate::config`] fixes `site.toml`, `content/`, `templates/` and
//! `static/` under the site root, [`crate::ui`] reads `i18n/`,
//! [`crate::theme`] reads `themes/<name>/`,
//! and [`content::discover`](mod@crate::content::discover) skips hidden and
//! editor files, so an event about anything else cannot change the output.

use std::path::{Component, Path, PathBuf};

use notify::EventKind;
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};

use super::Change;
use crate::config::CONFIG_FILE;
use crate::content::discover::is_ignored_name;

/// What a changed `path` means for the site at `site_root`, or `None` when
/// the change cannot affect a build and must be ignored.
///
/// - `site.toml` → [`Change::Config`]; `content/**` → [`Change::Content`]
///   (pages and the images beside them); `templates/**` and `i18n/**` →
///   [`Change::Template`]; `static/**` → [`Change::Static`]; anything under
///   `theme_dir`, or a folder of the site that holds it (`themes/` renamed),
///   → [`Change::Theme`]. The folders themselves count: removing
///   `content/a/` is a content change.
/// - Ignored: everything else at the root (`.git/`, `target/`, `README.md`),
///   anything under `ignored_dirs` (the output folder, serve's temporary
///   output), the root itself, paths outside it, and any path with an editor
///   temporary or hidden name in it (`x.md.swp`, `4913`, `x.md~`, `#x.md#`,
///   `x.md___jb_tmp___`, `~$x.docx`, `.DS_Store` …), hidden folders
///   included, because [`content::discover`](mod@crate::content::discover)
///   skips those too.
///
/// `ignored_dirs` and `theme_dir` may be absolute or relative to
/// `site_root`. Pass the folder the theme would load from
/// (`themes/<name>`) even while it does not exist, so that creating it is
/// seen. `path` is taken as it is: a removed or renamed page is classified
/// like an edited one, so deletions reach the rebuild (Zola #3155).
pub fn classify(
    site_root: &Path,
    ignored_dirs: &[PathBuf],
    theme_dir: Option<&Path>,
    path: &Path,
) -> Option<Change> {
    let absolute = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            site_root.join(p)
        }
    };
    if ignored_dirs.iter().any(|d| path.starts_with(absolute(d))) {
        return None;
    }
    if let Some(theme) = theme_dir.map(absolute) {
        if let Ok(rest) = path.strip_prefix(&theme) {
            return (!has_noise(rest)).then_some(Change::Theme);
        }
        // `themes/` itself removed or renamed: the theme went with it.
        if theme.starts_with(path) && path.starts_with(site_root) && path != site_root {
            return Some(Change::Theme);
        }
    }
    let rel = path.strip_prefix(site_root).ok()?;
    let mut parts = rel.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return None;
    };
    let rest = parts.as_path();
    let change = match first.to_str()? {
        "content" => Change::Content,
        "templates" | crate::ui::DIR => Change::Template,
        "static" => Change::Static,
        CONFIG_FILE if rest.as_os_str().is_empty() => Change::Config,
        _ => return None,
    };
    (!has_noise(rest)).then_some(change)
}

/// Whether any component of `rel` is an editor temporary or hidden name.
fn has_noise(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(name) => is_noise(&name.to_string_lossy()),
        _ => false,
    })
}

/// Whether a file or folder name is an editor's temporary, backup or lock
/// file, an operating system's droppings, or hidden: the build's own rule
/// ([`is_ignored_name`]), so that what the watcher ignores is what a build
/// leaves out — hidden names (vim's `.x.swp`, emacs's `.#x`, gedit's
/// `.goutputstream-*`, `.DS_Store`), `*~`, `*.swp`/`.swo`/`.swx`, `*.tmp`,
/// `#x#`, JetBrains' `*___jb_tmp___`/`*___jb_old___`, vim's `4913` probe,
/// Office's `~$x.docx`, `Thumbs.db` and `desktop.ini`.
pub(crate) fn is_noise(name: &str) -> bool {
    is_ignored_name(name)
}

/// Whether an event of this kind can mean that a file's bytes, name or
/// existence changed. Reads are not changes: inotify reports every open and
/// close of a file the rebuild reads, and those must never start another
/// rebuild.
pub(crate) fn is_change_kind(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/site";

    fn site(rel: &str) -> Option<Change> {
        let ignored = [PathBuf::from("/site/public"), PathBuf::from(".zhiku-serve")];
        let theme = Path::new("themes/default");
        classify(
            Path::new(ROOT),
            &ignored,
            Some(theme),
            &Path::new(ROOT).join(rel),
        )
    }

    #[test]
    fn can_classify_what_a_build_reads() {
        use Change::*;
        for (rel, want) in [
            ("site.toml", Config),
            ("content", Content),
            ("content/index.md", Content),
            ("content/规章/第一章.md", Content),
            ("content/cases/2024/a.md", Content),
            ("content/cases/photo.jpg", Content),
            ("content/a/b/c", Content),
            ("content/_index.md", Content),
            ("templates", Template),
            ("templates/page.html", Template),
            ("templates/partials/nav.html", Template),
            ("i18n", Template),
            ("i18n/en.toml", Template),
            ("static", Static),
            ("static/css/site.css", Static),
            ("static/handbook.pdf", Static),
            ("themes/default", Theme),
            ("themes/default/templates/base.html", Theme),
            ("themes/default/static/assets/zhiku.css", Theme),
            ("themes", Theme),
        ] {
            assert_eq!(site(rel), Some(want), "{rel}");
        }
    }

    #[test]
    fn ignores_what_a_build_does_not_read() {
        for rel in [
            "",
            "README.md",
            "notes.txt",
            "site.toml.bak",
            "site.toml/x",
            "public",
            "public/index.html",
            "public/content/a.md",
            ".zhiku-serve/index.html",
            ".git/index",
            ".git/objects/ab/cdef",
            "target/debug/zhiku",
            "themes/other/templates/base.html",
            "contents/a.md",
            "Content/a.md",
        ] {
            assert_eq!(site(rel), None, "{rel}");
        }
        let outside = classify(
            Path::new(ROOT),
            &[],
            None,
            Path::new("/elsewhere/content/a.md"),
        );
        assert_eq!(outside, None);
        assert_eq!(site("../site2/content/a.md"), None);
    }

    #[test]
    fn ignores_the_theme_folder_when_there_is_none() {
        let path = Path::new("/site/themes/default/templates/base.html");
        assert_eq!(classify(Path::new(ROOT), &[], None, path), None);
    }

    #[test]
    fn ignores_an_output_folder_inside_content() {
        let ignored = [PathBuf::from("content/_site")];
        let path = Path::new("/site/content/_site/index.html");
        assert_eq!(classify(Path::new(ROOT), &ignored, None, path), None);
        let page = Path::new("/site/content/_sites.md");
        assert_eq!(
            classify(Path::new(ROOT), &ignored, None, page),
            Some(Change::Content)
        );
    }

    #[test]
    fn ignores_editor_temporary_files_anywhere() {
        let names = [
            "x.md.swp",
            ".x.md.swp",
            ".x.md.swo",
            ".x.md.swx",
            "x.md~",
            "4913",
            "5036",
            ".#x.md",
            "#x.md#",
            "x.md___jb_tmp___",
            "x.md___jb_old___",
            "x.md.tmp",
            ".goutputstream-AB12CD",
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            "~$讲稿.docx",
            ".x.md.kate-swp",
        ];
        for dir in [
            "content",
            "content/a/b",
            "templates",
            "static/css",
            "themes/default/templates",
        ] {
            for name in names {
                let rel = format!("{dir}/{name}");
                assert_eq!(site(&rel), None, "{rel}");
            }
        }
        assert_eq!(site("site.toml~"), None);
        assert_eq!(site(".site.toml.swp"), None);
    }

    #[test]
    fn ignores_hidden_files_and_folders_as_the_build_does() {
        for rel in [
            "content/.hidden.md",
            "content/.drafts",
            "content/.drafts/a.md",
            "static/.well-known/security.txt",
            "themes/default/.git/HEAD",
        ] {
            assert_eq!(site(rel), None, "{rel}");
        }
    }

    #[test]
    fn keeps_names_that_only_look_like_noise() {
        use Change::*;
        for (rel, want) in [
            ("content/2024/a.md", Content),
            ("content/4914.md", Content),
            ("content/4913.md", Content),
            ("content/tmp/a.md", Content),
            ("content/a.tmp.md", Content),
            ("content/~a.md", Content),
            ("content/x.md.swp.md", Content),
            ("static/thumbs.png", Static),
        ] {
            assert_eq!(site(rel), Some(want), "{rel}");
        }
    }

    #[test]
    fn can_tell_changes_from_reads() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        for kind in [
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::Folder),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Any,
            EventKind::Other,
        ] {
            assert!(is_change_kind(&kind), "{kind:?}");
        }
        for kind in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Access(AccessKind::Read),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
        ] {
            assert!(!is_change_kind(&kind), "{kind:?}");
        }
    }
}
