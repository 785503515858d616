//! Themes: the default theme compiled into the binary, or a theme folder
//! under the site's `themes/`.
//!
//! The default theme lives in this repository's `themes/default/` and is
//! embedded, so an installed `zhiku` works in any folder. A site that has
//! its own `themes/<name>/` folder uses that instead (this repository's
//! sample site does, so editing the theme shows up without recompiling).

use std::borrow::Cow;
use std::path::Path;

use crate::config::Config;
use crate::content::discover::{SourceKind, discover};
use crate::diagnostics::Diagnostic;

/// One file of a theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path relative to the theme's `templates/` or `static/` folder.
    pub rel: String,
    /// The bytes.
    pub bytes: Cow<'static, [u8]>,
    /// Where the file is, for diagnostics (`themes/default/templates/page.html`).
    pub display: String,
}

/// A theme's templates and static files.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Its name.
    pub name: String,
    /// Templates, by name.
    pub templates: Vec<ThemeFile>,
    /// Static files, copied to the output root.
    pub statics: Vec<ThemeFile>,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, relative to `themes/default/`. A test checks
/// this list against the folder, so a new file cannot be forgotten.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "static/assets/checklist.js",
    "static/assets/offline.js",
    "static/assets/search.css",
    "static/assets/search.js",
    "static/assets/single.js",
    "static/assets/zhiku.css",
    "static/assets/zhiku.js",
    "static/sw.js",
    "templates/404.html",
    "templates/base.html",
    "templates/checklist_panel.html",
    "templates/date.html",
    "templates/head_extra.html",
    "templates/index.html",
    "templates/page.html",
    "templates/page_header.html",
    "templates/page_info.html",
    "templates/page_items.html",
    "templates/page_list.html",
    "templates/print.html",
    "templates/search.html",
    "templates/section.html",
    "templates/section_cards.html",
    "templates/single.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/term_links.html",
    "templates/theme_toggle.html",
];

/// Loads the theme named in the configuration.
pub fn load(config: &Config) -> Result<Theme, Diagnostic> {
    let dir = config.root.join("themes").join(&config.theme);
    if crate::fs::is_dir(&dir) {
        return from_dir(&config.theme, &dir);
    }
    if config.theme == "default" {
        return Ok(embedded());
    }
    let mut available = vec!["default".to_string()];
    if let Ok(entries) = crate::fs::read_dir_sorted(&config.root.join("themes")) {
        available.extend(
            entries
                .into_iter()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != "default"),
        );
    }
    Err(Diagnostic::error(
        crate::config::CONFIG_FILE,
        format!("unknown theme `{}`", config.theme),
    )
    .with_hint(format!("available themes: {}", available.join(", "))))
}

/// The theme compiled into the binary.
pub fn embedded() -> Theme {
    let mut theme = Theme {
        name: "default".into(),
        templates: Vec::new(),
        statics: Vec::new(),
    };
    for (path, bytes) in DEFAULT_THEME {
        let file = |rel: &str| ThemeFile {
            rel: rel.to_string(),
            bytes: Cow::Borrowed(*bytes),
            display: format!("themes/default/{path} (built in)"),
        };
        if let Some(rel) = path.strip_prefix("templates/") {
            theme.templates.push(file(rel));
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme.statics.push(file(rel));
        }
    }
    theme
}

fn from_dir(name: &str, dir: &Path) -> Result<Theme, Diagnostic> {
    let label = format!("themes/{name}");
    Ok(Theme {
        name: name.to_string(),
        templates: read_tree(&dir.join("templates"), &format!("{label}/templates"))?,
        statics: read_tree(&dir.join("static"), &format!("{label}/static"))?,
    })
}

/// Reads every file under `dir` (if it exists) as theme files.
pub fn read_tree(dir: &Path, label: &str) -> Result<Vec<ThemeFile>, Diagnostic> {
    if !crate::fs::is_dir(dir) {
        return Ok(Vec::new());
    }
    let found = discover(dir, label);
    if let Some(d) = found.diagnostics.into_iter().next() {
        return Err(d);
    }
    found
        .files
        .into_iter()
        .filter(|f| matches!(f.kind, SourceKind::Markdown | SourceKind::Asset))
        .map(|f| {
            let bytes = crate::fs::read(&f.path)
                .map_err(|e| Diagnostic::error(format!("{label}/{}", f.rel), format!("{e:#}")))?;
            Ok(ThemeFile {
                display: format!("{label}/{}", f.rel),
                rel: f.rel,
                bytes: Cow::Owned(bytes),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let found = discover(&dir, "themes/default");
        let on_disk: Vec<_> = found.files.iter().map(|f| f.rel.clone()).collect();
        let embedded: Vec<_> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(on_disk, embedded, "update DEFAULT_THEME in src/theme.rs");
    }
}
