//! The single-file edition (issue 8): the site loaded as for a build, then
//! one document of the chosen pages rendered with the theme's
//! `single.html` — links in-file, stylesheet, scripts, images and search
//! index inside. Nothing is written.

use std::path::Path;

use crate::config::Config;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::taxonomy::Taxonomy;
use crate::graph::{self, SiteGraph};
use crate::markdown;
use crate::output::OutputFile;
use crate::render;
use crate::render::assets::{SINGLE_SCRIPT, static_files};
use crate::templates::Templates;
use crate::theme::Theme;
use crate::tr;

use super::{BuildFailure, Cache, LoadOptions, Site};

/// The mark at the end of a single-file edition, by which `zhiku pack`
/// knows it may replace the file (issue 13).
pub const SINGLE_FILE_MARK: &str = "<!-- zhiku pack --single-file -->";

/// What to put in the single-file edition.
#[derive(Debug, Clone, Default)]
pub struct SingleFileOptions {
    /// One section (its folder, `cases`, or its title); `None`: the site.
    pub section: Option<String>,
    /// Include drafts.
    pub include_drafts: bool,
    /// Use this address instead of site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Warnings fail as errors do (`--strict`).
    pub strict: bool,
}

/// The single-file edition, rendered.
#[derive(Debug)]
pub struct SingleFile {
    /// The HTML document.
    pub html: Vec<u8>,
    /// Pages it holds.
    pub pages: usize,
    /// Bytes of images inlined.
    pub image_bytes: usize,
    /// Warnings (large images, and the build's).
    pub warnings: Vec<Diagnostic>,
}

/// An image above this many bytes makes the single file heavy to send
/// through a chat app: warned about, still inlined.
pub const SINGLE_FILE_IMAGE_WARNING: usize = 512 * 1024;

/// The single-file edition of the site at `root`.
pub fn single_file(
    root: &Path,
    options: &SingleFileOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<SingleFile, BuildFailure> {
    let config = super::load_config(root, options.base_url.as_deref())?;
    let load = LoadOptions {
        include_drafts: options.include_drafts,
        strict: options.strict,
        ..LoadOptions::default()
    };
    let mut site = super::load(config, &load, &mut Cache::once(), progress)?;
    let (templates, theme) = match site.templates.take() {
        Some(t) if !site.sink.has_errors() => t,
        _ => return Err(failed(site.sink)),
    };
    match edition(&mut site, &templates, &theme, options, progress) {
        // The edition's own warnings (large images) fail it too.
        Ok(file) if options.strict && !file.warnings.is_empty() => Err(BuildFailure {
            diagnostics: file.warnings,
            error: None,
        }),
        Ok(file) => Ok(file),
        Err(d) => {
            site.sink.push(d);
            Err(failed(site.sink))
        }
    }
}

fn failed(sink: Diagnostics) -> BuildFailure {
    BuildFailure {
        diagnostics: sink.sorted(),
        error: None,
    }
}

/// Renders the document of the chosen sections' pages.
fn edition(
    site: &mut Site,
    templates: &Templates,
    theme: &Theme,
    options: &SingleFileOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<SingleFile, Diagnostic> {
    if !templates.has("single.html") {
        return Err(Diagnostic::error(
            format!("themes/{}/templates", theme.name),
            tr!("output.pipeline.no_single_template"),
        ));
    }
    let graph = &site.graph;
    let chosen = chosen_sections(graph, options.section.as_deref())?;
    let pages: Vec<usize> = chosen
        .iter()
        .flat_map(|&(s, _)| graph.sections[s].pages.iter().copied())
        .collect();
    progress("render", pages.len());
    let mut in_file = anchors(graph, &chosen, &pages);
    if options.section.is_some() {
        // Links to the rest of the site lead to notes (issue 16).
        in_file.outside = Some(render::Outside::new(graph, &in_file.anchors));
    }
    let image_bytes = inline_images(&site.config, graph, &pages, &mut in_file, &mut site.sink);
    let statics = static_files(&site.config, theme, templates.ui(), graph, &mut site.sink);
    inline_logo(&site.config, &statics, &mut in_file);
    let search = site.config.search.enabled && !pages.is_empty();
    let (css, js) = bundle(&statics, theme, graph, &pages, search);
    let search_data = match search {
        true => {
            let synonyms = crate::search::synonyms::Synonyms::new(&site.config.search.synonyms);
            single_file_search(graph, &pages, &site.taxonomies, &synonyms)?
        }
        false => String::new(),
    };
    let scope = options
        .section
        .as_ref()
        .and_then(|_| chosen.first())
        .map(|&(s, _)| graph.sections[s].meta.title.clone())
        .unwrap_or_default();
    let parts = render::SingleFileParts {
        scope,
        // Text inside <style> and <script> must not end them.
        css: css.replace("</style", "<\\/style"),
        js: js.replace("</script", "<\\/script"),
        search: search_data,
    };
    let view = render::Site {
        config: &site.config,
        graph,
        taxonomies: &site.taxonomies,
        templates,
        in_file: Some(&in_file),
        chrome: &site.chrome,
    };
    let html = view.single_file(&chosen, &parts)?;
    Ok(SingleFile {
        // After `</html>`, where a comment changes nothing.
        html: format!("{html}{SINGLE_FILE_MARK}\n").into_bytes(),
        pages: pages.len(),
        image_bytes,
        warnings: std::mem::take(&mut site.sink).sorted(),
    })
}

/// In-file anchors for every chosen section and page.
fn anchors(graph: &SiteGraph, chosen: &[(usize, usize)], pages: &[usize]) -> render::InFile {
    let mut in_file = render::InFile::default();
    for &(s, _) in chosen {
        let section = &graph.sections[s];
        in_file.anchors.insert(
            section.out_file(),
            render::single_anchor('s', &section.out_dir),
        );
    }
    for &p in pages {
        let page = &graph.pages[p];
        in_file
            .anchors
            .insert(page.out_file(), render::single_anchor('p', &page.out_dir));
    }
    in_file
}

/// The stylesheets and scripts the chosen pages need, one of each.
fn bundle(
    statics: &[OutputFile],
    theme: &Theme,
    graph: &SiteGraph,
    pages: &[usize],
    search: bool,
) -> (String, String) {
    let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
    let asset = |path: &str| {
        statics
            .iter()
            .find(|f| f.path == path)
            .map(|f| text(&f.bytes))
            .unwrap_or_default()
    };
    let has_code = pages.iter().any(|&p| graph.pages[p].rendered.has_code);
    let has_checklist = pages
        .iter()
        .any(|&p| graph.pages[p].kind == Kind::Checklist);
    let has_quiz = pages
        .iter()
        .any(|&p| !graph.pages[p].rendered.questions.is_empty());
    let mut css = asset("assets/zhiku.css");
    if search {
        css.push_str(&asset("assets/search.css"));
    }
    if has_code {
        css.push_str(&asset("assets/syntax.css"));
    }
    if has_quiz {
        css.push_str(&asset("assets/quiz.css"));
    }
    // The words first: the scripts after it read them as they start.
    let mut js = asset(crate::ui::SCRIPT_FILE);
    if search {
        js.push_str(&asset("assets/search.js"));
    }
    js.push_str(&asset("assets/zhiku.js"));
    if has_checklist {
        js.push_str(&asset("assets/checklist.js"));
    }
    if has_quiz {
        js.push_str(&asset("assets/quiz.js"));
    }
    // 学完了 on every page, and the file's own study record at its end.
    js.push_str(&asset("assets/study.js"));
    js.push_str(&asset("assets/study-record.js"));
    // The theme's static files leave it out of a site; a site's own wins.
    let single_script = statics
        .iter()
        .find(|f| f.path == SINGLE_SCRIPT)
        .map(|f| text(&f.bytes))
        .or_else(|| {
            theme
                .statics
                .iter()
                .find(|f| f.rel == SINGLE_SCRIPT)
                .map(|f| text(&f.bytes))
        })
        .unwrap_or_default();
    js.push_str(&single_script);
    (css, js)
}

/// The sections of the edition, in display order with their depth: the
/// whole tree, or the named section and those under it.
fn chosen_sections(
    graph: &SiteGraph,
    wanted: Option<&str>,
) -> Result<Vec<(usize, usize)>, Diagnostic> {
    let start = match wanted {
        None => 0,
        Some(w) => {
            let w = w.trim().trim_matches('/');
            graph
                .sections
                .iter()
                .position(|s| {
                    s.dir == w || s.out_dir.trim_end_matches('/') == w || s.meta.title == w
                })
                .ok_or_else(|| {
                    let names: Vec<String> = graph
                        .sections
                        .iter()
                        .filter(|s| !s.dir.is_empty())
                        .map(|s| {
                            tr!(
                                "output.pipeline.section_named",
                                dir = s.dir,
                                title = s.meta.title
                            )
                        })
                        .collect();
                    let names = names.join(crate::messages::text("site.list_separator"));
                    Diagnostic::error("content", tr!("output.pipeline.no_section", section = w))
                        .with_hint(tr!("output.pipeline.sections", names = names))
                })?
        }
    };
    let mut out = Vec::new();
    let mut stack = vec![(start, 0)];
    while let Some((s, depth)) = stack.pop() {
        out.push((s, depth));
        for &sub in graph.sections[s].subsections.iter().rev() {
            stack.push((sub, depth + 1));
        }
    }
    Ok(out)
}

/// The logo, when site.toml names one, as a data URL in `in_file`: the
/// file carries no other files.
fn inline_logo(config: &Config, statics: &[OutputFile], in_file: &mut render::InFile) {
    let Some((path, _)) = &config.logo else {
        return;
    };
    if let Some(f) = statics.iter().find(|f| &f.path == path) {
        in_file
            .images
            .insert(path.clone(), data_url(path, &f.bytes));
    }
}

/// Puts every image the pages show into `in_file` as a data URL; returns
/// the bytes inlined, warning about large ones.
fn inline_images(
    config: &Config,
    graph: &SiteGraph,
    pages: &[usize],
    in_file: &mut render::InFile,
    sink: &mut Diagnostics,
) -> usize {
    use markdown::LinkKind;
    let mut total = 0;
    for &p in pages {
        let page = &graph.pages[p];
        for (link, url) in page.rendered.links.iter().zip(&page.links) {
            if !matches!(link.kind, LinkKind::Image) || url.contains("://") {
                continue;
            }
            let path = graph::links::normalise(&page.out_dir, url).unwrap_or_default();
            if in_file.images.contains_key(&path) {
                continue;
            }
            let Some(asset) = graph.assets.iter().find(|a| a.out == path) else {
                continue;
            };
            let label = format!("content/{}", asset.rel);
            match crate::fs::read(&config.content_dir().join(&asset.rel)) {
                Ok(bytes) => {
                    if bytes.len() > SINGLE_FILE_IMAGE_WARNING {
                        sink.push(
                            Diagnostic::warning(
                                &label,
                                tr!("output.pipeline.large_image", kb = bytes.len() / 1024),
                            )
                            .with_hint(tr!("output.pipeline.large_image_hint")),
                        );
                    }
                    total += bytes.len();
                    let data = data_url(&path, &bytes);
                    in_file.images.insert(path, data);
                }
                Err(e) => sink.push(Diagnostic::error(&label, format!("{e:#}"))),
            }
        }
    }
    total
}

/// An image's bytes as a `data:` URL, typed by its file name.
fn data_url(path: &str, bytes: &[u8]) -> String {
    format!(
        "data:{};base64,{}",
        image_type(path),
        crate::base64::encode(bytes)
    )
}

fn image_type(path: &str) -> &'static str {
    match path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    }
}

/// The search index of the edition's pages, with in-file addresses, as a
/// script that files every data file where search.js looks for it.
fn single_file_search(
    graph: &SiteGraph,
    pages: &[usize],
    taxonomies: &[Taxonomy],
    synonyms: &crate::search::synonyms::Synonyms,
) -> Result<String, Diagnostic> {
    // The sections stay: a page's facts name its section.
    let sub = SiteGraph {
        pages: pages.iter().map(|&p| graph.pages[p].clone()).collect(),
        sections: graph.sections.clone(),
        ..SiteGraph::default()
    };
    let index = crate::search::build_with_urls(&sub, taxonomies, synonyms, &|p| {
        format!("#{}", render::single_anchor('p', &p.out_dir))
    })?;
    let mut script = String::from(
        "<script>window.zhikuSearchInline={};window.zhikuSearchData=function(k,i,p){zhikuSearchInline[k+\"/\"+i]=p};\n",
    );
    for f in &index.files {
        // Index files are JavaScript; "</" cannot end the script this way.
        script.push_str(&String::from_utf8_lossy(&f.bytes).replace("</", "<\\/"));
    }
    script.push_str("</script>");
    Ok(script)
}
