//! Stage "assets": the files every page needs besides its own — theme and
//! site static files, the highlight stylesheet, the web app manifest and
//! icons, content assets and the sitemap — and the check that none of
//! them takes a page's path.

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::SiteGraph;
use crate::markdown;
use crate::output::OutputFile;
use crate::theme;
use crate::tr;
use crate::ui::Ui;

/// The single-file edition's navigation script, a theme static file that
/// only that edition uses.
pub const SINGLE_SCRIPT: &str = "assets/single.js";

/// Theme and site static files, the highlight stylesheet, the scripts'
/// words (`assets/ui.js`), the web app manifest and its icons, content
/// assets and the sitemap.
pub fn static_files(
    config: &Config,
    theme: &theme::Theme,
    ui: &Ui,
    graph: &SiteGraph,
    sink: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut by_path = std::collections::BTreeMap::new();
    match theme::read_tree(&config.static_dir(), "static") {
        Ok(site) => {
            // The single-file edition's script is inlined there, never
            // needed by a site.
            let theme_files = theme.statics.iter().filter(|f| f.rel != SINGLE_SCRIPT);
            for f in theme_files.chain(&site) {
                by_path.insert(f.rel.clone(), f.bytes.to_vec());
            }
        }
        Err(d) => sink.push(d),
    }
    match markdown::highlight::stylesheet(
        &config.markdown.highlight_theme,
        &config.markdown.highlight_theme_dark,
    ) {
        Ok(css) => {
            by_path
                .entry("assets/syntax.css".into())
                .or_insert_with(|| css.into_bytes());
        }
        Err(message) => sink.push(Diagnostic::error(CONFIG_FILE, message)),
    }
    // To change the words, a site changes its catalogue (crate::ui); a
    // static file of the same name still wins, as for syntax.css.
    by_path
        .entry(crate::ui::SCRIPT_FILE.into())
        .or_insert_with(|| ui.script().into_bytes());
    if let Some((logo, at)) = &config.logo
        && !by_path.contains_key(logo)
    {
        sink.push(
            Diagnostic::error(CONFIG_FILE, tr!("site.render.no_logo", logo = logo))
                .at(at.0, at.1)
                .with_hint(tr!("site.render.no_logo_hint")),
        );
    }
    // The manifest and icons, unless the site brings its own.
    let logo = config
        .logo
        .as_ref()
        .and_then(|(path, _)| by_path.get(path))
        .map(Vec::as_slice);
    for f in crate::install::files(config, logo) {
        by_path.entry(f.path).or_insert(f.bytes);
    }
    let mut files: Vec<OutputFile> = by_path
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    let content = config.content_dir();
    for asset in &graph.assets {
        match crate::fs::read(&content.join(&asset.rel)) {
            Ok(bytes) => files.push(OutputFile {
                path: asset.out.clone(),
                bytes,
            }),
            Err(e) => sink.push(Diagnostic::error(
                format!("content/{}", asset.rel),
                format!("{e:#}"),
            )),
        }
    }
    if let Some(base_url) = &config.base_url {
        files.push(super::sitemap(base_url, graph));
        files.push(super::feed::atom(config, ui, base_url, graph));
    }
    files
}

/// Two outputs of one path (or of paths that differ only in case, one file
/// on Windows and macOS): an error on the content file involved, naming
/// what else writes there. Pages among themselves are checked earlier
/// (`graph`); here a page meets what zhiku, the theme or `static/` writes
/// (`slug: search` and the search page).
pub fn check_output_collisions(paths: &[String], graph: &SiteGraph, sink: &mut Diagnostics) {
    // Which page writes a path, built at the first collision only: the
    // dev server runs this check on every rebuild.
    let mut content: Option<std::collections::HashMap<String, String>> = None;
    let content_of = || {
        graph
            .pages
            .iter()
            .map(|p| (p.out_file(), format!("content/{}", p.source)))
            .chain(graph.sections.iter().map(|s| {
                let source = s.source.clone().unwrap_or_else(|| s.dir.clone());
                (s.out_file(), format!("content/{source}"))
            }))
            .map(|(out, source)| (out.to_lowercase(), source))
            .collect()
    };
    // What else writes a path: the paths themselves do not say.
    let generated = |path: &str| {
        let what = match path.split('/').next() {
            Some("search") => tr!("site.render.writer.search"),
            Some("assets") => tr!("site.render.writer.assets"),
            _ => tr!("site.render.writer.other"),
        };
        tr!("site.render.writer.named", what = what, path = path)
    };
    let mut seen = crate::hash::Map::default();
    seen.reserve(paths.len());
    for path in paths {
        if let Some(first) = seen.insert(fold_case(path), path.as_str()) {
            // A page writes its path once: a second writer of the same
            // spelling is something else.
            let content = content.get_or_insert_with(content_of);
            let page = |p: &str| content.get(&p.to_lowercase()).cloned();
            let (at, other) = match (page(first), page(path)) {
                (Some(a), Some(b)) if a != b => (b, a),
                (Some(a), _) | (None, Some(a)) => (a, generated(path)),
                (None, None) => (format!("static/{path}"), generated(first)),
            };
            sink.push(
                Diagnostic::error(
                    at,
                    tr!("site.render.same_output", path = path, other = other),
                )
                .with_hint(tr!("site.render.same_output_hint")),
            );
        }
    }
}

/// `path` in lower case, borrowed when lower case leaves it as it is (most
/// paths: Chinese characters have no case).
fn fold_case(path: &str) -> std::borrow::Cow<'_, str> {
    let unchanged = |c: char| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if path.chars().all(unchanged) {
        std::borrow::Cow::Borrowed(path)
    } else {
        std::borrow::Cow::Owned(path.to_lowercase())
    }
}
