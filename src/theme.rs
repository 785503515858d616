//! Themes: the default theme compiled into the binary, or a theme folder
//! under the site's `themes/`: templates, static files, and the catalogues
//! of the site's words in `i18n/` (read by the `ui` module, which sits
//! above this one).
//!
//! The default theme lives in this repository's `themes/default/` and is
//! embedded, so an installed `zhiku` works in any folder. A site that has
//! its own `themes/<name>/` folder uses that instead (this repository's
//! sample site does, so editing the theme shows up without recompiling).
//!
//! One static file is built rather than copied: the search runtime,
//! `assets/search.js`. It must stay one classic script (no modules, no
//! fetch: it runs from `file://`), so its sources, the files of
//! `themes/default/search/` ([`SEARCH_SOURCES`], by what they do: index
//! reader, inflate, normaliser, query parser, candidates, ranking,
//! snippets, the two UIs), are joined in that order inside one function
//! ([`search_runtime`]): at compile time for the embedded theme, at load
//! for a theme folder that has a `search/` folder. A theme that ships
//! `static/assets/search.js` keeps its own.

use std::borrow::Cow;
use std::path::Path;

use crate::config::Config;
use crate::content::discover::{SourceKind, discover};
use crate::diagnostics::Diagnostic;
use crate::tr;

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
    /// The catalogues of the site's words in `i18n/`, by file name
    /// (`en.toml`), read by the `ui` module.
    pub catalogues: Vec<ThemeFile>,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, relative to `themes/default/`, except the
/// search runtime's sources. A test checks this list and
/// [`SEARCH_SOURCES`] against the folder, so a new file cannot be
/// forgotten.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "i18n/en.toml",
    "i18n/zh-Hans.toml",
    "i18n/zh-Hant.toml",
    "static/assets/checklist.js",
    "static/assets/offline.js",
    "static/assets/quiz.css",
    "static/assets/quiz.js",
    "static/assets/search.css",
    "static/assets/single.js",
    "static/assets/study-record.js",
    "static/assets/study.js",
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
    "templates/study.html",
    "templates/study_mark.html",
    "templates/study_progress.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/term_links.html",
    "templates/theme_toggle.html",
    "templates/wrong.html",
];

/// The folder of a theme's catalogues of the site's words (the `ui`
/// module reads them; a site's own folder of that name changes single
/// words).
pub const CATALOGUE_DIR: &str = "i18n";

/// The search runtime's path among a theme's static files.
pub const SEARCH_RUNTIME: &str = "assets/search.js";

/// What the search runtime's sources are wrapped in: one function, so that
/// their names stay private to it, which returns at once when the page
/// already has the runtime (a second copy would start over with no index
/// files loaded).
macro_rules! search_head {
    () => {
        r#"/* zhiku search, loaded by zhiku.js on first use of the search box (at once
   on the search page). Plain script: no modules, no fetch, no eval. The
   index is script files calling zhikuSearchData(kind, id, payload), see
   docs/search-format.md. Built from the theme's search/*.js, in one
   function (src/theme.rs). */
(function () {
  "use strict";
  var win = window, doc = document;
  if (win.zhikuSearch) return;
"#
    };
}
macro_rules! search_tail {
    () => {
        "})();\n"
    };
}

macro_rules! search_sources {
    ($($file:literal),* $(,)?) => {
        /// The search runtime's sources in `search/` of a theme folder, in
        /// the order they are joined: each part's top-level statements run
        /// in this order when the script loads.
        pub const SEARCH_SOURCES: &[&str] = &[$($file),*];

        /// The default theme's `assets/search.js`: [`search_runtime`] of its
        /// sources, joined at compile time.
        const DEFAULT_SEARCH_RUNTIME: &str = concat!(
            search_head!(),
            $("\n", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/search/", $file)),)*
            search_tail!()
        );
    };
}

search_sources![
    "index.js",
    "inflate.js",
    "normalize.js",
    "query.js",
    "candidates.js",
    "rank.js",
    "snippets.js",
    "ui.js",
    "dropdown.js",
    "page.js",
    "main.js",
];

/// `assets/search.js` from the texts of its sources, in
/// [`SEARCH_SOURCES`] order: one classic script, so that it works from
/// `file://`.
pub fn search_runtime<S: AsRef<str>>(sources: &[S]) -> String {
    let mut js = String::from(search_head!());
    for source in sources {
        js.push('\n');
        js.push_str(source.as_ref());
    }
    js.push_str(search_tail!());
    js
}

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
        tr!("config.unknown_theme", theme = config.theme),
    )
    .with_hint(tr!(
        "config.unknown_theme_hint",
        themes = available.join(", ")
    )))
}

/// The theme compiled into the binary.
pub fn embedded() -> Theme {
    let mut theme = Theme {
        name: "default".into(),
        templates: Vec::new(),
        statics: Vec::new(),
        catalogues: Vec::new(),
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
        } else if let Some(rel) = path.strip_prefix("i18n/") {
            theme.catalogues.push(file(rel));
        }
    }
    add_static(
        &mut theme.statics,
        ThemeFile {
            rel: SEARCH_RUNTIME.into(),
            bytes: Cow::Borrowed(DEFAULT_SEARCH_RUNTIME.as_bytes()),
            display: "themes/default/search (built in)".into(),
        },
    );
    theme
}

fn from_dir(name: &str, dir: &Path) -> Result<Theme, Diagnostic> {
    let label = format!("themes/{name}");
    let templates = read_tree(&dir.join("templates"), &format!("{label}/templates"))?;
    let mut statics = read_tree(&dir.join("static"), &format!("{label}/static"))?;
    let search = dir.join("search");
    if crate::fs::is_dir(&search) && !statics.iter().any(|f| f.rel == SEARCH_RUNTIME) {
        let file = search_runtime_from(&search, &format!("{label}/search"))?;
        add_static(&mut statics, file);
    }
    let catalogues = read_tree(
        &dir.join(CATALOGUE_DIR),
        &format!("{label}/{CATALOGUE_DIR}"),
    )?;
    Ok(Theme {
        name: name.to_string(),
        templates,
        statics,
        catalogues,
    })
}

/// Builds `assets/search.js` from the sources in a theme folder's
/// `search/` (`dir`), so that editing one shows up without recompiling.
fn search_runtime_from(dir: &Path, label: &str) -> Result<ThemeFile, Diagnostic> {
    let sources = SEARCH_SOURCES
        .iter()
        .map(|file| {
            crate::fs::read_to_string(&dir.join(file)).map_err(|e| {
                Diagnostic::error(format!("{label}/{file}"), format!("{e:#}")).with_hint(tr!(
                    "config.search_runtime_hint",
                    runtime = SEARCH_RUNTIME,
                    sources = SEARCH_SOURCES.join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ThemeFile {
        rel: SEARCH_RUNTIME.into(),
        bytes: Cow::Owned(search_runtime(&sources).into_bytes()),
        display: label.to_string(),
    })
}

/// Adds `file` to static files kept in path order.
fn add_static(statics: &mut Vec<ThemeFile>, file: ThemeFile) {
    let at = statics.partition_point(|f| f.rel < file.rel);
    statics.insert(at, file);
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

    fn theme_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
    }

    #[test]
    fn embedded_list_matches_the_theme_folder() {
        let found = discover(&theme_dir(), "themes/default");
        let on_disk: Vec<_> = found.files.iter().map(|f| f.rel.clone()).collect();
        let (sources, files): (Vec<_>, Vec<_>) =
            on_disk.into_iter().partition(|p| p.starts_with("search/"));
        let embedded: Vec<_> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(files, embedded, "update DEFAULT_THEME in src/theme.rs");
        let mut listed: Vec<_> = SEARCH_SOURCES
            .iter()
            .map(|f| format!("search/{f}"))
            .collect();
        listed.sort();
        assert_eq!(sources, listed, "update search_sources! in src/theme.rs");
    }

    #[test]
    fn the_embedded_search_runtime_is_its_sources_joined() {
        // The sample site builds it from the folder at load; both must agree.
        let sources: Vec<_> = SEARCH_SOURCES
            .iter()
            .map(|f| std::fs::read_to_string(theme_dir().join("search").join(f)).unwrap())
            .collect();
        assert_eq!(search_runtime(&sources), DEFAULT_SEARCH_RUNTIME);
        let theme = embedded();
        let runtime = theme.statics.iter().find(|f| f.rel == SEARCH_RUNTIME);
        assert_eq!(
            runtime.map(|f| &f.bytes[..]),
            Some(DEFAULT_SEARCH_RUNTIME.as_bytes())
        );
        let rels: Vec<_> = theme.statics.iter().map(|f| f.rel.as_str()).collect();
        assert!(rels.is_sorted(), "{rels:?}");
    }

    #[test]
    fn search_sources_declare_each_name_once() {
        // One function scope holds every part: a second `function x` or
        // `var x` at the top of another part would silently replace the first.
        let mut seen = std::collections::BTreeMap::new();
        for file in SEARCH_SOURCES {
            let text = std::fs::read_to_string(theme_dir().join("search").join(file)).unwrap();
            for name in top_level_names(&text) {
                if let Some(first) = seen.insert(name.clone(), *file) {
                    panic!("`{name}` is declared in search/{first} and search/{file}");
                }
            }
        }
        assert!(seen.contains_key("search") && seen.contains_key("BOX_FILES"));
    }

    /// The names a part declares at its top level (column 0): `function
    /// name`, and each name of a `var` statement, which may span lines.
    fn top_level_names(text: &str) -> Vec<String> {
        let ident = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect()
        };
        let mut names = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(rest) = line.strip_prefix("function ") {
                names.push(ident(rest));
            } else if let Some(rest) = line.strip_prefix("var ") {
                let mut statement = rest.to_string();
                while !statement.trim_end().ends_with(';') {
                    let Some(more) = lines.next() else { break };
                    statement.push_str(more);
                }
                names.extend(declarators(&statement).iter().map(|d| ident(d)));
            }
        }
        names
    }

    /// `a = 1, b = [2, 3], c = "x,y"` split at its top-level commas.
    fn declarators(statement: &str) -> Vec<&str> {
        let (mut parts, mut depth, mut from, mut quote) = (Vec::new(), 0, 0, None);
        let mut chars = statement.char_indices();
        while let Some((i, c)) = chars.next() {
            match (quote, c) {
                (Some(_), '\\') => {
                    chars.next();
                }
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '(' | '[' | '{') => depth += 1,
                (None, ')' | ']' | '}') => depth -= 1,
                (None, ',') if depth == 0 => {
                    parts.push(&statement[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&statement[from..]);
        parts
    }
}
