//! `build`: the stages in order. Reads like a table of contents; each
//! stage lives in its own module.
//!
//! Content faults are collected from every stage and reported together;
//! if any is an error, nothing is written and the previous output stays
//! exactly as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::content::discover::{SourceFile, SourceKind, discover};
use std::collections::HashMap;

use crate::content::Kind;
use crate::content::page::{self, PageMeta, SectionMeta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::{self, PageSource, SectionSource, SiteGraph};
use crate::markdown::{self, MarkdownOptions};
use crate::output::{self, WriteReport};
use crate::render::{self, OutputFile};
use crate::templates::Templates;
use crate::theme;

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `output_dir` from site.toml.
    pub output_dir: Option<PathBuf>,
    /// Include pages and sections marked `draft: true`.
    pub include_drafts: bool,
    /// Write the output (false for `zhiku check`).
    pub write: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Where the output went.
    pub output_dir: PathBuf,
    /// Number of pages.
    pub pages: usize,
    /// Number of sections (including the home page).
    pub sections: usize,
    /// Number of output files.
    pub files: usize,
    /// What the write did (all zero for `check`).
    pub write: WriteReport,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
    /// Time per stage, in order.
    pub timings: Vec<StageTime>,
    /// The search index, when enabled.
    pub search: Option<crate::search::IndexStats>,
}

/// Why a build failed: content faults (with file and line) and/or an IO
/// error.
#[derive(Debug)]
pub struct BuildFailure {
    /// Every error and warning found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// An IO or internal error that stopped the build.
    pub error: Option<anyhow::Error>,
}

impl From<Vec<Diagnostic>> for BuildFailure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            diagnostics,
            error: None,
        }
    }
}

/// Stage names, in order, for progress and timings.
pub const STAGES: [&str; 9] = [
    "discover",
    "parse",
    "markdown",
    "graph",
    "search",
    "templates",
    "render",
    "assets",
    "write",
];

/// Builds the site at `root`. `progress` is told when each stage starts.
pub fn build(
    root: &Path,
    options: &BuildOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<BuildReport, BuildFailure> {
    let config = Config::load(root)?;
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    if options.write {
        output::check_output_dir(root, &output_dir).map_err(|d| vec![d])?;
    }
    let mut sink = Diagnostics::new();
    let mut timer = Timer::start();

    progress("discover", 0);
    let found = discover_content(&config, &mut sink)?;
    timer.lap("discover");

    progress("parse", found.markdown.len());
    let parsed = parse_sources(&found.markdown, options.include_drafts, &mut sink);
    timer.lap("parse");

    progress("markdown", parsed.len());
    let loaded = render_markdown(&config, parsed, &mut sink);
    timer.lap("markdown");

    progress("graph", loaded.pages.len());
    let (mut graph, diagnostics) =
        graph::build(&found.dirs, loaded.sections, loaded.pages, &found.assets);
    sink.extend(diagnostics);
    sink.extend(graph::links::resolve(&mut graph));
    let (taxonomies, diagnostics) = graph::taxonomy::build(&graph, &config.taxonomies);
    sink.extend(diagnostics);
    timer.lap("graph");

    progress("search", graph.pages.len());
    let index = index_search(&config, &mut graph, &taxonomies, &mut sink);
    timer.lap("search");

    progress("templates", 0);
    let templates = load_templates(&config, &mut sink);
    timer.lap("templates");

    progress("render", graph.pages.len() + graph.sections.len());
    // Files go to the writer as they are rendered; `check` keeps nothing.
    let writer = match (&templates, options.write && !sink.has_errors()) {
        (Some(_), true) => Some(output::Writer::prepare(&output_dir).map_err(io_failure)?),
        _ => None,
    };
    let emit = |file: OutputFile| match &writer {
        Some(w) => w.offer(file),
        None => None,
    };
    let search_stats = index.as_ref().map(|i| i.stats);
    let mut paths: Vec<String> = Vec::new();
    let mut pending: Vec<OutputFile> = Vec::new();
    for file in index.map(|i| i.files).unwrap_or_default() {
        paths.push(file.path.clone());
        pending.extend(emit(file));
    }
    if let Some((templates, _)) = &templates
        && !sink.has_errors()
    {
        let site = render::Site {
            config: &config,
            graph: &graph,
            taxonomies: &taxonomies,
            templates,
        };
        let rendered = render::render_all(&site, &emit);
        sink.extend(first_per_location(rendered.diagnostics));
        paths.extend(rendered.paths);
        pending.extend(rendered.kept);
    }
    timer.lap("render");

    progress("assets", 0);
    if let Some((_, theme)) = &templates {
        let statics = static_files(&config, theme, &graph, &mut sink);
        paths.extend(statics.iter().map(|f| f.path.clone()));
        check_output_collisions(&paths, &mut sink);
        if !sink.has_errors() {
            pending.extend(statics.into_iter().filter_map(emit));
        }
    }
    timer.lap("assets");

    let failed = sink.has_errors();
    let io_error = writer.as_ref().and_then(output::Writer::take_error);
    if failed || io_error.is_some() {
        if let Some(w) = writer {
            w.abort();
        }
        return Err(BuildFailure {
            diagnostics: sink.sorted(),
            error: io_error,
        });
    }
    let write = match writer {
        Some(w) => {
            progress("write", pending.len());
            w.finish(pending, &paths).map_err(io_failure)?
        }
        None => WriteReport::default(),
    };
    timer.lap("write");

    Ok(BuildReport {
        output_dir,
        pages: graph.pages.len(),
        sections: graph.sections.len(),
        files: paths.len(),
        write,
        warnings: sink.sorted(),
        timings: timer.laps,
        search: search_stats,
    })
}

/// Stage "search": the index, unless disabled or the build already failed.
/// Unit texts are only needed here, so they are dropped afterwards.
fn index_search(
    config: &Config,
    graph: &mut SiteGraph,
    taxonomies: &[graph::taxonomy::Taxonomy],
    sink: &mut Diagnostics,
) -> Option<crate::search::SearchIndex> {
    let index = if config.search.enabled && !sink.has_errors() {
        match crate::search::build(graph, taxonomies) {
            Ok(index) => Some(index),
            Err(d) => {
                sink.push(d);
                None
            }
        }
    } else {
        None
    };
    for page in &mut graph.pages {
        page.rendered.units = Vec::new();
    }
    index
}

/// Wall and CPU time per stage.
struct Timer {
    last: Instant,
    last_cpu: Option<Duration>,
    laps: Vec<StageTime>,
}

impl Timer {
    fn start() -> Self {
        Self {
            last: Instant::now(),
            last_cpu: process_cpu_time(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = process_cpu_time();
        let cpu_delta = match (cpu, self.last_cpu) {
            (Some(now), Some(before)) => Some(now.saturating_sub(before)),
            _ => None,
        };
        self.laps.push(StageTime {
            stage,
            wall: now - self.last,
            cpu: cpu_delta,
        });
        self.last = now;
        self.last_cpu = cpu;
    }
}

/// The time one stage took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTime {
    /// Stage name, one of [`STAGES`].
    pub stage: &'static str,
    /// Elapsed wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (all threads) during the stage, where
    /// the platform tells it; CPU ÷ wall shows how well a stage uses cores.
    pub cpu: Option<Duration>,
}

/// User + system CPU time of this process so far. Linux only (from
/// `/proc/self/stat`, in clock ticks of 1/100 s); `None` elsewhere.
fn process_cpu_time() -> Option<Duration> {
    let stat = crate::fs::read_to_string(Path::new("/proc/self/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

struct Found {
    markdown: Vec<SourceFile>,
    assets: Vec<String>,
    dirs: Vec<String>,
}

fn discover_content(config: &Config, sink: &mut Diagnostics) -> Result<Found, BuildFailure> {
    let content = config.content_dir();
    if !crate::fs::is_dir(&content) {
        return Err(vec![
            Diagnostic::error("content", "the site has no `content` folder").with_hint(format!(
                "create it next to {CONFIG_FILE}, with an `_index.md` for the home page"
            )),
        ]
        .into());
    }
    let found = discover(&content, "content");
    sink.extend(found.diagnostics);
    let (markdown, asset_files): (Vec<_>, Vec<_>) = found
        .files
        .into_iter()
        .partition(|f| f.kind == SourceKind::Markdown);
    Ok(Found {
        assets: asset_files.into_iter().map(|f| f.rel).collect(),
        markdown,
        dirs: found.dirs,
    })
}

#[derive(Default)]
struct Loaded {
    pages: Vec<PageSource>,
    sections: Vec<SectionSource>,
}

/// A Markdown file with its front matter parsed, body not yet rendered.
// Short-lived, one per file while loading: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Page(String, page::Parsed<PageMeta>),
    Section(String, page::Parsed<SectionMeta>),
    Skipped,
}

/// Stage "parse": reads every Markdown file and parses its front matter,
/// in parallel.
fn parse_sources(
    files: &[SourceFile],
    include_drafts: bool,
    sink: &mut Diagnostics,
) -> Vec<Parsed> {
    let results: Vec<(Result<Parsed, Diagnostic>, Option<Diagnostic>)> = files
        .par_iter()
        .map(|f| parse_one(f, include_drafts))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (result, warning) in results {
        sink.extend(warning);
        match result {
            Ok(p) => parsed.push(p),
            Err(d) => sink.push(d),
        }
    }
    parsed
}

fn parse_one(
    file: &SourceFile,
    include_drafts: bool,
) -> (Result<Parsed, Diagnostic>, Option<Diagnostic>) {
    let label = format!("content/{}", file.rel);
    let text = match crate::fs::read(&file.path) {
        Ok(bytes) => page::decode(&label, bytes),
        Err(e) => Err(Diagnostic::error(&label, format!("{e:#}"))),
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => return (Err(d), None),
    };
    let is_section = file.rel == "_index.md" || file.rel.ends_with("/_index.md");
    if is_section {
        let result = page::parse::<SectionMeta>(&label, &text).and_then(|p| {
            first_error(page::validate_title_and_slug(
                &label,
                &p.meta.title,
                p.meta.slug.as_deref(),
            ))?;
            Ok(Parsed::Section(file.rel.clone(), p))
        });
        return (result, None);
    }
    let mut warning = None;
    let result = page::parse::<PageMeta>(&label, &text).and_then(|p| {
        first_error(page::validate_title_and_slug(
            &label,
            &p.meta.title,
            p.meta.slug.as_deref(),
        ))?;
        if p.meta.draft && !include_drafts {
            return Ok(Parsed::Skipped);
        }
        if p.body.trim().is_empty() {
            warning = Some(
                Diagnostic::warning(&label, "the page has a title but no content")
                    .at_line(p.body_line_offset + 1),
            );
        }
        Ok(Parsed::Page(file.rel.clone(), p))
    });
    (result, warning)
}

/// Stage "markdown": renders every body, in parallel.
fn render_markdown(config: &Config, parsed: Vec<Parsed>, sink: &mut Diagnostics) -> Loaded {
    let opts = MarkdownOptions {
        allow_html: config.markdown.allow_html,
        kind: Kind::Page,
    };
    // A page's kind decides how its Markdown renders (articles, checklist
    // items): its own `kind`, else its folder's `page_kind`.
    let section_kinds: HashMap<String, Kind> = parsed
        .iter()
        .filter_map(|p| match p {
            Parsed::Section(rel, s) => s
                .meta
                .page_kind
                .map(|k| (graph::parent_dir(rel).to_string(), k)),
            _ => None,
        })
        .collect();
    let kinds: Vec<Kind> = parsed
        .iter()
        .map(|p| match p {
            Parsed::Page(rel, page) => page
                .meta
                .kind
                .or_else(|| section_kinds.get(graph::parent_dir(rel)).copied())
                .unwrap_or_default(),
            _ => Kind::Page,
        })
        .collect();
    let rendered: Vec<Source> = parsed
        .into_par_iter()
        .zip(kinds)
        .map(|(p, kind)| match p {
            Parsed::Page(rel, p) => {
                let rendered = markdown::render(
                    &p.body,
                    p.body_line_offset,
                    MarkdownOptions { kind, ..opts },
                );
                Source::Page(PageSource {
                    value_lines: value_lines(&p.yaml),
                    rel,
                    meta: p.meta,
                    rendered,
                })
            }
            Parsed::Section(rel, p) => {
                let rendered = markdown::render(&p.body, p.body_line_offset, opts);
                Source::Section(SectionSource {
                    rel,
                    meta: p.meta,
                    rendered,
                })
            }
            Parsed::Skipped => Source::Skipped,
        })
        .collect();
    let mut loaded = Loaded::default();
    for r in rendered {
        match r {
            Source::Page(p) => {
                let label = format!("content/{}", p.rel);
                sink.extend(
                    p.rendered
                        .notes
                        .iter()
                        .map(|n| Diagnostic::warning(&label, &n.message).at_line(n.line)),
                );
                if p.rendered.items.is_empty() && is_checklist(&p, &section_kinds) {
                    sink.push(Diagnostic::warning(
                        &label,
                        "this checklist has no task items (`- [ ] …`)",
                    ));
                }
                loaded.pages.push(p);
            }
            Source::Section(s) => loaded.sections.push(s),
            Source::Skipped => {}
        }
    }
    loaded
}

fn is_checklist(page: &PageSource, section_kinds: &HashMap<String, Kind>) -> bool {
    page.meta
        .kind
        .or_else(|| section_kinds.get(graph::parent_dir(&page.rel)).copied())
        == Some(Kind::Checklist)
}

/// The file line of each value in the front matter (first occurrence), so
/// that errors about `related:` or `supersedes:` targets point at them.
fn value_lines(yaml: &str) -> Vec<(String, usize)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let value = line.trim().trim_start_matches('-').trim();
            let value = value
                .split_once(':')
                .filter(|(k, _)| !k.contains(['#', '/', '.']))
                .map_or(value, |(_, v)| v.trim());
            let value = value.trim_matches(['"', '\'']);
            (!value.is_empty()).then(|| (value.to_string(), i + 2))
        })
        .collect()
}

#[allow(clippy::large_enum_variant)]
enum Source {
    Page(PageSource),
    Section(SectionSource),
    Skipped,
}

fn first_error(diagnostics: Vec<Diagnostic>) -> Result<(), Diagnostic> {
    diagnostics.into_iter().next().map_or(Ok(()), Err)
}

fn load_templates(config: &Config, sink: &mut Diagnostics) -> Option<(Templates, theme::Theme)> {
    let theme = match theme::load(config) {
        Ok(t) => t,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    match Templates::load(config, &theme) {
        Ok(t) => Some((t, theme)),
        Err(ds) => {
            sink.extend(ds);
            None
        }
    }
}

/// A broken template fails on every page; one report per template location
/// is enough.
fn first_per_location(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut diagnostics = diagnostics;
    diagnostics.sort_by(|a, b| a.message.cmp(&b.message));
    diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.path.clone(), d.line, d.column)))
        .collect()
}

/// Theme and site static files, the highlight stylesheet, content assets
/// and the sitemap.
fn static_files(
    config: &Config,
    theme: &theme::Theme,
    graph: &SiteGraph,
    sink: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut by_path = std::collections::BTreeMap::new();
    match theme::read_tree(&config.static_dir(), "static") {
        Ok(site) => {
            for f in theme.statics.iter().chain(&site) {
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
        files.push(render::sitemap(base_url, graph));
    }
    files
}

fn io_failure(e: anyhow::Error) -> BuildFailure {
    BuildFailure {
        diagnostics: Vec::new(),
        error: Some(e),
    }
}

fn check_output_collisions(paths: &[String], sink: &mut Diagnostics) {
    let mut seen = std::collections::HashMap::new();
    for path in paths {
        if let Some(first) = seen.insert(path.to_lowercase(), path.as_str()) {
            sink.push(
                Diagnostic::error(
                    format!("static/{path}"),
                    format!("writes the same output file as `{first}`"),
                )
                .with_hint("rename the static file or the page"),
            );
        }
    }
}
