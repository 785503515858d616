//! `build`: the stages in order. Reads like a table of contents; each
//! stage lives in its own module.
//!
//! Content faults are collected from every stage and reported together;
//! if any is an error, nothing is written and the previous output stays
//! exactly as it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;
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
use crate::memo::{FileMemo, Memo, Memoised};
use crate::output::OutputFile;
use crate::output::{self, WriteReport};
use crate::render;
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
    /// With a memo: leave the search index and the offline list on disk
    /// as they are; the next build brings them up to date (the dev server
    /// reloads pages first).
    pub defer_search: bool,
    /// With a memo: the only files that changed since the last build (a
    /// file watcher's report); `None` looks at every file.
    pub changed: Option<Vec<PathBuf>>,
    /// Write into an output folder that holds files zhiku did not write
    /// (they are left alone unless a file of the site has the same name).
    pub force: bool,
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
    /// The search index, when it was built.
    pub search: Option<crate::search::IndexStats>,
    /// The search index or the offline list on disk is older than the
    /// pages (`defer_search`): build again.
    pub search_deferred: bool,
    /// Outputs not rendered again: unchanged since the last build.
    pub reused: usize,
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
    build_with(root, options, &mut Memo::once(), progress)
}

/// Builds the site at `root`, reusing what `memo` kept from earlier builds
/// in this process (see [`crate::memo`]) and keeping this build's for the
/// next. The output is the same as [`build`]'s, byte for byte.
pub fn build_with(
    root: &Path,
    options: &BuildOptions,
    memo: &mut Memo,
    progress: &dyn Fn(&str, usize),
) -> Result<BuildReport, BuildFailure> {
    let config = load_config(root)?;
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    let config_digest = crate::hash::of(format!("{config:?}"));
    memo.begin(crate::hash::of((config_digest, options.include_drafts)));
    memo.check_written(&output_dir);
    if options.write {
        output::check_output_dir(root, &output_dir).map_err(|d| vec![d])?;
        // Once per process and folder: later builds wrote it themselves.
        if memo.written.is_none() {
            output::survey(&output_dir, options.force).map_err(|d| vec![d])?;
        }
    }
    let mut sink = Diagnostics::new();
    let mut timer = Timer::start();

    progress("discover", 0);
    let (found, touched) = discover_or_reuse(&config, options.changed.as_deref(), memo, &mut sink)?;
    timer.lap("discover");

    progress("parse", found.markdown.len());
    let probes = parse_sources(
        &found.markdown,
        touched.as_ref(),
        options.include_drafts,
        memo,
    );
    timer.lap("parse");

    progress("markdown", probes.len());
    let loaded = render_markdown(
        &config,
        &found.markdown,
        probes,
        options.include_drafts,
        memo,
        &mut sink,
    );
    timer.lap("markdown");

    progress("graph", found.markdown.len());
    let (mut graph, taxonomies, graph_diagnostics) =
        match reuse_graph(memo, touched.is_some(), &loaded) {
            Some(kept) => kept,
            None => {
                let (pages, sections) = if loaded.in_memo {
                    sources_from_memo(&found.markdown, memo)
                } else {
                    (loaded.pages, loaded.sections)
                };
                let (mut graph, mut diagnostics) =
                    graph::build(&found.dirs, sections, pages, &found.assets);
                diagnostics.extend(graph::links::resolve(&mut graph));
                let (taxonomies, more) = graph::taxonomy::build(&graph, &config.taxonomies);
                diagnostics.extend(more);
                (graph, taxonomies, diagnostics)
            }
        };
    sink.extend(graph_diagnostics.iter().cloned());
    timer.lap("graph");

    progress("search", graph.pages.len());
    let index = index_search(
        &config,
        config_digest,
        options.defer_search,
        &mut graph,
        &taxonomies,
        memo,
        &mut sink,
    );
    timer.lap("search");

    progress("templates", 0);
    let templates = load_templates(&config, memo, &mut sink);
    timer.lap("templates");

    progress("render", graph.pages.len() + graph.sections.len());
    // Files go to the writer as they are rendered; `check` keeps nothing.
    let writer = match (&templates, options.write && !sink.has_errors()) {
        (Some(_), true) => Some(output::Writer::prepare(&output_dir).map_err(io_failure)?),
        _ => None,
    };
    // Every file's revision, for the offline list (see `offline`).
    let revisions: std::sync::Mutex<HashMap<String, u64>> = Default::default();
    let emit = |file: OutputFile| match &writer {
        Some(w) => {
            let rev = crate::offline::revision(&file.bytes);
            lock(&revisions).insert(file.path.clone(), rev);
            w.offer(file)
        }
        None => None,
    };
    let mut paths: Vec<String> = index.paths.clone();
    let mut pending: Vec<OutputFile> = Vec::new();
    for file in index.write.iter() {
        pending.extend(emit(file.clone()));
    }
    let mut fingerprints = HashMap::new();
    let mut reused = 0;
    if let Some((loaded, _)) = &templates
        && !sink.has_errors()
    {
        let site = render::Site {
            config: &config,
            graph: &graph,
            taxonomies: &taxonomies,
            templates: loaded,
            in_file: None,
        };
        let no_outputs = HashMap::new();
        let digest = |rel: &str| memo.digest(rel);
        let reuse = render::Reuse {
            digest: &digest,
            config: config_digest,
            previous: memo
                .written
                .as_ref()
                .filter(|_| options.write)
                .map_or(&no_outputs, |w| &w.outputs),
        };
        let rendered = render::render_all(&site, &emit, memo.keeps().then_some(&reuse));
        sink.extend(first_per_location(rendered.diagnostics));
        paths.extend(rendered.paths);
        pending.extend(rendered.kept);
        fingerprints = rendered.fingerprints;
        reused = rendered.reused;
    }
    timer.lap("render");

    progress("assets", 0);
    let mut list_deferred = false;
    if let Some((_, theme)) = &templates {
        let mut statics = static_files(&config, theme, &graph, &mut sink);
        paths.extend(statics.iter().map(|f| f.path.clone()));
        if writer.is_some() {
            // The list of every file: revisions of files not rendered
            // again are the last build's.
            list_deferred = options.defer_search
                && memo
                    .written
                    .as_ref()
                    .is_some_and(|w| w.revisions.contains_key(crate::offline::LIST));
            let mut known = memo
                .written
                .as_ref()
                .map(|w| w.revisions.clone())
                .unwrap_or_default();
            known.extend(std::mem::take(&mut *lock(&revisions)));
            for f in &statics {
                known.insert(f.path.clone(), crate::offline::revision(&f.bytes));
            }
            if list_deferred {
                // Like the index: the list on disk stays as it was, and
                // the next build (right after the reload) brings it up to date.
                paths.push(crate::offline::LIST.into());
            } else {
                let list = crate::offline::list(&paths, &known);
                known.insert(list.path.clone(), crate::offline::revision(&list.bytes));
                paths.push(list.path.clone());
                statics.push(list);
            }
            *lock(&revisions) = known;
        }
        check_output_collisions(&paths, &graph, &mut sink);
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
    let (pages, sections) = (graph.pages.len(), graph.sections.len());

    if memo.keeps() {
        memo.graph = Some(crate::memo::GraphMemo {
            graph,
            taxonomies,
            diagnostics: graph_diagnostics,
        });
    }
    if options.write && memo.keeps() {
        memo.written = Some(crate::memo::Written {
            manifest: crate::memo::exact_stat(&output_dir.join(output::MANIFEST)),
            output_dir: output_dir.clone(),
            outputs: fingerprints,
            revisions: revisions.into_inner().unwrap_or_else(|e| e.into_inner()),
            index: index.written,
            index_digest: index.digest,
        });
    }
    Ok(BuildReport {
        output_dir,
        pages,
        sections,
        files: paths.len(),
        write,
        warnings: sink.sorted(),
        timings: timer.laps,
        search: index.stats,
        search_deferred: index.deferred || list_deferred,
        reused,
    })
}

/// `site.toml`, with what later stages check of it (the search synonyms).
fn load_config(root: &Path) -> Result<Config, BuildFailure> {
    let config = Config::load(root)?;
    let errors = crate::search::synonyms::check_site(&config.search.synonyms);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(config)
}

/// The last build's site graph, when this build's sources give the same
/// one: the same files (the caller named the changes), no section read
/// anew, and every page read anew equal to its last version in all the
/// graph reads — front matter, links, headings, article numbers, value
/// lines. Only the pages' front matter and rendered bodies are swapped in
/// (the graph shares them). Anything else builds the graph anew.
fn reuse_graph(
    memo: &mut Memo,
    same_files: bool,
    loaded: &Loaded,
) -> Option<(SiteGraph, Vec<graph::taxonomy::Taxonomy>, Vec<Diagnostic>)> {
    // Taken whatever happens: a graph is only ever kept by the successful
    // build that made or checked it, so it always matches the memo's files.
    let crate::memo::GraphMemo {
        mut graph,
        taxonomies,
        diagnostics,
    } = memo.graph.take()?;
    if !same_files {
        return None;
    }
    let articles = |r: &markdown::Rendered| -> Vec<(String, u32, u32)> {
        r.articles
            .iter()
            .map(|a| (a.id.clone(), a.number, a.insert))
            .collect()
    };
    let mut swaps = Vec::with_capacity(loaded.fresh.len());
    for rel in &loaded.fresh {
        let Some(crate::memo::FileMemo {
            result: Memoised::Page(new, _),
            ..
        }) = memo.files.get(rel)
        else {
            return None;
        };
        let i = graph.pages.iter().position(|p| &p.source == rel)?;
        let old = &graph.pages[i];
        let same = *old.meta == *new.meta
            && old.value_lines == new.value_lines
            && old.rendered.links == new.rendered.links
            && old.rendered.headings == new.rendered.headings
            && articles(&old.rendered) == articles(&new.rendered);
        if !same {
            return None;
        }
        swaps.push((i, new.meta.clone(), new.rendered.clone()));
    }
    for (i, meta, rendered) in swaps {
        graph.pages[i].meta = meta;
        graph.pages[i].rendered = rendered;
    }
    Some((graph, taxonomies, diagnostics))
}

/// The search stage's outcome.
#[derive(Default)]
struct IndexOutcome {
    /// Every path of the index in the output (written now, or before).
    paths: Vec<String>,
    /// Files to hand to the writer.
    write: Vec<OutputFile>,
    /// What the output will hold once written: path → hash of the bytes.
    written: HashMap<String, u64>,
    /// The digest of the inputs of the index in the output (`None` when
    /// the output holds an older one: deferred).
    digest: Option<u64>,
    stats: Option<crate::search::IndexStats>,
    deferred: bool,
}

/// Stage "search": the index, unless disabled or the build already failed.
/// With a memo, an index whose inputs did not change is not built again,
/// and its files that are already on disk are not offered to the writer;
/// `defer` keeps the index on disk as it is (the dev server rebuilds it
/// right after the pages, so that a reload need not wait for it). Unit
/// texts are only needed here, so they are dropped afterwards.
fn index_search(
    config: &Config,
    config_digest: u64,
    defer: bool,
    graph: &mut SiteGraph,
    taxonomies: &[graph::taxonomy::Taxonomy],
    memo: &mut Memo,
    sink: &mut Diagnostics,
) -> IndexOutcome {
    let mut out = IndexOutcome::default();
    if config.search.enabled && !sink.has_errors() {
        let digest = memo
            .keeps()
            .then(|| index_digest(config_digest, graph, taxonomies, memo));
        let written = memo.written.as_ref();
        if defer && let Some(w) = written {
            out.paths = w.index.keys().cloned().collect();
            out.paths.sort();
            out.written = w.index.clone();
            out.digest = w.index_digest.filter(|&d| Some(d) == digest);
            out.deferred = out.digest.is_none();
        } else {
            let built = match &memo.index {
                Some((d, files)) if Some(*d) == digest => Ok(files.clone()),
                _ => crate::search::build(
                    graph,
                    taxonomies,
                    &crate::search::synonyms::Synonyms::new(&config.search.synonyms),
                )
                .map(|index| {
                    out.stats = Some(index.stats);
                    std::sync::Arc::new(index.files)
                }),
            };
            match built {
                Ok(files) => {
                    for f in files.iter() {
                        let hash = crate::hash::bytes(&f.bytes);
                        out.paths.push(f.path.clone());
                        out.written.insert(f.path.clone(), hash);
                        if written.and_then(|w| w.index.get(&f.path)) != Some(&hash) {
                            out.write.push(f.clone());
                        }
                    }
                    out.digest = digest;
                    if let Some(d) = digest {
                        memo.index = Some((d, files));
                    }
                }
                Err(d) => sink.push(d),
            }
        }
    }
    // Unit texts are only needed by the index: dropped, unless a memo
    // shares them for the next build.
    for page in &mut graph.pages {
        if let Some(rendered) = std::sync::Arc::get_mut(&mut page.rendered) {
            rendered.units = Vec::new();
        }
    }
    out
}

/// Everything the index is built from: each page's source (text, title,
/// tags), kind and address, and the taxonomies' spellings of terms.
fn index_digest(
    config_digest: u64,
    graph: &SiteGraph,
    taxonomies: &[graph::taxonomy::Taxonomy],
    memo: &Memo,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FastHasher::default();
    config_digest.hash(&mut h);
    for p in &graph.pages {
        // The index also reads what a page takes from others: its
        // section's title and its wikilinks' texts (other pages' titles).
        let section = graph
            .sections
            .get(p.section)
            .map(|s| (&s.meta.title, s.source.is_some()));
        (
            memo.digest(&p.source),
            &p.source,
            p.kind.as_str(),
            &p.out_dir,
            section,
            &p.link_texts,
        )
            .hash(&mut h);
    }
    for t in taxonomies {
        t.name.hash(&mut h);
        for term in &t.terms {
            (&term.name, &term.slug).hash(&mut h);
        }
    }
    h.finish()
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

/// What the discover stage found: Markdown files, other files of
/// `content/`, folders, and what it had to say about them.
#[derive(Clone, Default)]
pub(crate) struct Found {
    markdown: Vec<SourceFile>,
    assets: Vec<String>,
    dirs: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Stage "discover", or the memo's last result when the caller names the
/// files that changed and none of them was created or deleted (a watcher's
/// batch of edits): then only those files need to be looked at.
fn discover_or_reuse(
    config: &Config,
    changed: Option<&[PathBuf]>,
    memo: &mut Memo,
    sink: &mut Diagnostics,
) -> Result<(Arc<Found>, Option<std::collections::HashSet<String>>), BuildFailure> {
    if let (Some(changed), Some(found)) = (changed, &memo.found) {
        let content = config.content_dir();
        let mut touched = std::collections::HashSet::new();
        let known = |rel: &str| {
            found.markdown.iter().any(|f| f.rel == rel) || found.assets.iter().any(|a| a == rel)
        };
        let same_files = changed
            .iter()
            .all(|path| match path.strip_prefix(&content) {
                Ok(rel) => {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let ok = crate::fs::is_file(path) && known(&rel);
                    touched.insert(rel);
                    ok
                }
                // Templates, static files, the theme, site.toml: they do not
                // change what is in content/.
                Err(_) => true,
            });
        if same_files {
            sink.extend(found.diagnostics.iter().cloned());
            return Ok((found.clone(), Some(touched)));
        }
    }
    let found = Arc::new(discover_content(config, sink)?);
    if memo.keeps() {
        memo.found = Some(found.clone());
    }
    Ok((found, None))
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
    sink.extend(found.diagnostics.iter().cloned());
    let (markdown, asset_files): (Vec<_>, Vec<_>) = found
        .files
        .into_iter()
        .partition(|f| f.kind == SourceKind::Markdown);
    Ok(Found {
        assets: asset_files.into_iter().map(|f| f.rel).collect(),
        markdown,
        dirs: found.dirs,
        diagnostics: found.diagnostics,
    })
}

#[derive(Default)]
struct Loaded {
    pages: Vec<PageSource>,
    sections: Vec<SectionSource>,
    /// Files read anew by this build (the rest came from the memo).
    fresh: Vec<String>,
    /// The sources are in the memo, not in `pages` and `sections`.
    in_memo: bool,
}

/// A Markdown file with its front matter parsed, body not yet rendered.
// Short-lived, one per file while loading: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Page(page::Parsed<PageMeta>),
    Section(page::Parsed<SectionMeta>),
    Skipped,
}

/// A Markdown file after the parse stage: its memo still holds, or it was
/// read (bytes hashed, front matter parsed).
// Short-lived, one per file: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Probe {
    Unchanged(crate::memo::Stat),
    Read {
        stat: crate::memo::Stat,
        hash: u64,
        parsed: Result<Parsed, Diagnostic>,
        warning: Option<Diagnostic>,
    },
}

/// Stage "parse": reads every Markdown file whose size, time or bytes
/// changed since the memo saw it (when the caller named the files that
/// changed, `only` those), and parses its front matter, in parallel.
fn parse_sources(
    files: &[SourceFile],
    only: Option<&std::collections::HashSet<String>>,
    include_drafts: bool,
    memo: &Memo,
) -> Vec<Probe> {
    files
        .par_iter()
        .map(|f| {
            let known = memo.files.get(&f.rel);
            if let (Some(only), Some(k)) = (only, known)
                && !only.contains(&f.rel)
            {
                return Probe::Unchanged(k.stat);
            }
            let stat = crate::memo::stat(&f.path);
            if stat.is_some() && known.is_some_and(|k| k.stat == stat) {
                return Probe::Unchanged(stat);
            }
            let bytes = crate::fs::read(&f.path);
            let hash = bytes.as_ref().map_or(0, |b| crate::hash::bytes(b));
            if bytes.is_ok() && known.is_some_and(|k| k.hash == hash) {
                return Probe::Unchanged(stat);
            }
            let (parsed, warning) = parse_one(f, bytes, include_drafts);
            Probe::Read {
                stat,
                hash,
                parsed,
                warning,
            }
        })
        .collect()
}

fn parse_one(
    file: &SourceFile,
    bytes: anyhow::Result<Vec<u8>>,
    include_drafts: bool,
) -> (Result<Parsed, Diagnostic>, Option<Diagnostic>) {
    let label = format!("content/{}", file.rel);
    let text = match bytes {
        Ok(bytes) => page::decode(&label, bytes),
        Err(e) => Err(Diagnostic::error(&label, format!("{e:#}"))),
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => return (Err(d), None),
    };
    if is_section_file(&file.rel) {
        let result = page::parse::<SectionMeta>(&label, &text).and_then(|p| {
            first_error(page::validate_title_and_slug(
                &label,
                &p.yaml,
                &p.meta.title,
                p.meta.slug.as_deref(),
            ))?;
            Ok(Parsed::Section(p))
        });
        return (result, None);
    }
    let mut warning = None;
    let result = page::parse::<PageMeta>(&label, &text).and_then(|p| {
        first_error(page::validate_title_and_slug(
            &label,
            &p.yaml,
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
        Ok(Parsed::Page(p))
    });
    (result, warning)
}

fn is_section_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::content::discover::markdown_stem(name) == Some("_index")
}

/// Stage "markdown": renders the bodies of the files that were read (and
/// of pages whose kind changed with their section's `page_kind`), in
/// parallel; the memo holds the result of every file, and the site is
/// assembled from it.
fn render_markdown(
    config: &Config,
    files: &[SourceFile],
    probes: Vec<Probe>,
    include_drafts: bool,
    memo: &mut Memo,
    sink: &mut Diagnostics,
) -> Loaded {
    let opts = MarkdownOptions {
        allow_html: config.markdown.allow_html,
        kind: Kind::Page,
    };
    // A page's kind decides how its Markdown renders (articles, checklist
    // items): its own `kind`, else its folder's `page_kind`.
    let mut section_kinds: HashMap<String, Kind> = HashMap::new();
    for (f, probe) in files.iter().zip(&probes) {
        let page_kind = match probe {
            Probe::Read {
                parsed: Ok(Parsed::Section(s)),
                ..
            } => s.meta.page_kind,
            Probe::Unchanged(_) => match memo.files.get(&f.rel).map(|m| &m.result) {
                Some(Memoised::Section(s)) => s.meta.page_kind,
                _ => None,
            },
            _ => None,
        };
        if let Some(k) = page_kind {
            section_kinds.insert(graph::parent_dir(&f.rel).to_string(), k);
        }
    }
    let kind_of = |rel: &str, own: Option<Kind>| {
        own.or_else(|| section_kinds.get(graph::parent_dir(rel)).copied())
            .unwrap_or_default()
    };
    let fresh: Vec<(usize, FileMemo)> = files
        .par_iter()
        .zip(probes)
        .enumerate()
        .filter_map(|(i, (f, probe))| {
            let (stat, hash, parsed, warning) = match probe {
                Probe::Unchanged(stat) => {
                    let known = memo.files.get(&f.rel)?;
                    match &known.result {
                        // Rendered as another kind: its section's
                        // `page_kind` changed. Read it again.
                        Memoised::Page(p, kind) if *kind != kind_of(&f.rel, p.meta.kind) => {
                            let (parsed, warning) =
                                parse_one(f, crate::fs::read(&f.path), include_drafts);
                            (stat, known.hash, parsed, warning)
                        }
                        _ if known.stat == stat => return None,
                        _ => {
                            let mut same = known.clone();
                            same.stat = stat;
                            return Some((i, same));
                        }
                    }
                }
                Probe::Read {
                    stat,
                    hash,
                    parsed,
                    warning,
                } => (stat, hash, parsed, warning),
            };
            let result = match parsed {
                Err(d) => Memoised::Failed(d),
                Ok(Parsed::Skipped) => Memoised::Skipped,
                Ok(Parsed::Section(p)) => {
                    match render_body(&f.rel, &p.body, p.body_line_offset, opts) {
                        Ok(rendered) => Memoised::Section(SectionSource {
                            rel: f.rel.clone(),
                            rendered: rendered.into(),
                            meta: p.meta.into(),
                        }),
                        Err(d) => Memoised::Failed(d),
                    }
                }
                Ok(Parsed::Page(p)) => {
                    let kind = kind_of(&f.rel, p.meta.kind);
                    let rendered = match render_body(
                        &f.rel,
                        &p.body,
                        p.body_line_offset,
                        MarkdownOptions { kind, ..opts },
                    ) {
                        Ok(rendered) => rendered,
                        Err(d) => {
                            return Some((
                                i,
                                FileMemo {
                                    stat,
                                    hash,
                                    result: Memoised::Failed(d),
                                    warning,
                                },
                            ));
                        }
                    };
                    Memoised::Page(
                        PageSource {
                            value_lines: value_lines(&p.yaml).into(),
                            rel: f.rel.clone(),
                            meta: p.meta.into(),
                            rendered: rendered.into(),
                        },
                        kind,
                    )
                }
            };
            Some((
                i,
                FileMemo {
                    stat,
                    hash,
                    result,
                    warning,
                },
            ))
        })
        .collect();
    let mut loaded = Loaded::default();
    if !memo.keeps() {
        // One build: every file was read; nothing is copied or kept.
        for (_, entry) in fresh {
            report_file(entry.warning.as_ref(), &entry.result, sink);
            match entry.result {
                Memoised::Page(p, _) => loaded.pages.push(p),
                Memoised::Section(s) => loaded.sections.push(s),
                Memoised::Skipped | Memoised::Failed(_) => {}
            }
        }
        return loaded;
    }
    // Files that are gone are forgotten (none are when the files are the
    // ones the memo knows); the rest are updated in place.
    if memo.files.len() != files.len() || !fresh.is_empty() {
        let current: std::collections::HashSet<&str> =
            files.iter().map(|f| f.rel.as_str()).collect();
        memo.files.retain(|rel, _| current.contains(rel.as_str()));
    }
    for (i, entry) in fresh {
        loaded.fresh.push(files[i].rel.clone());
        memo.files.insert(files[i].rel.clone(), entry);
    }
    for f in files {
        if let Some(entry) = memo.files.get(&f.rel) {
            report_file(entry.warning.as_ref(), &entry.result, sink);
        }
    }
    // The sources themselves are taken from the memo only if the site
    // graph has to be built anew (`sources_from_memo`).
    loaded.in_memo = true;
    loaded
}

/// Renders a file's Markdown; a page nested too deep, or one that made the
/// Markdown stage panic, is an error for that file (with its line), never
/// the end of the build or of the dev server.
fn render_body(
    rel: &str,
    body: &str,
    line_offset: usize,
    opts: MarkdownOptions,
) -> Result<markdown::Rendered, Diagnostic> {
    let path = format!("content/{rel}");
    let rendered =
        std::panic::catch_unwind(|| markdown::render(body, line_offset, opts)).map_err(|_| {
            Diagnostic::error(&path, "zhiku could not render this file's Markdown")
                .with_hint("this is a bug in zhiku; please report it with this file")
        })?;
    match &rendered.error {
        Some(note) => Err(Diagnostic::error(&path, &note.message)
            .at_line(note.line)
            .with_hint("write it flatter: nothing a reader sees needs this much nesting")),
        None => Ok(rendered),
    }
}

/// What reading a file has to say, every build: its warning, its notes, a
/// checklist without items, or its error.
fn report_file(warning: Option<&Diagnostic>, result: &Memoised, sink: &mut Diagnostics) {
    sink.extend(warning.cloned());
    match result {
        Memoised::Page(p, kind) => {
            let label = || format!("content/{}", p.rel);
            sink.extend(
                p.rendered
                    .notes
                    .iter()
                    .map(|n| Diagnostic::warning(label(), &n.message).at_line(n.line)),
            );
            if p.rendered.items.is_empty() && *kind == Kind::Checklist {
                sink.push(Diagnostic::warning(
                    label(),
                    "this checklist has no task items (`- [ ] …`)",
                ));
            }
        }
        Memoised::Failed(d) => sink.push(d.clone()),
        Memoised::Section(_) | Memoised::Skipped => {}
    }
}

/// The sources of `files`, in order, shared with the memo.
fn sources_from_memo(files: &[SourceFile], memo: &Memo) -> (Vec<PageSource>, Vec<SectionSource>) {
    let (mut pages, mut sections) = (Vec::new(), Vec::new());
    for f in files {
        match memo.files.get(&f.rel).map(|e| &e.result) {
            Some(Memoised::Page(p, _)) => pages.push(p.clone()),
            Some(Memoised::Section(s)) => sections.push(s.clone()),
            _ => {}
        }
    }
    (pages, sections)
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

fn first_error(diagnostics: Vec<Diagnostic>) -> Result<(), Diagnostic> {
    diagnostics.into_iter().next().map_or(Ok(()), Err)
}

/// Stage "templates": the theme and the compiled templates, reused from
/// the memo when no template's bytes changed (compiling them is most of
/// this stage).
fn load_templates(
    config: &Config,
    memo: &mut Memo,
    sink: &mut Diagnostics,
) -> Option<(Arc<Templates>, theme::Theme)> {
    let theme = match theme::load(config) {
        Ok(t) => t,
        Err(d) => {
            sink.push(d);
            return None;
        }
    };
    let digest = memo.keeps().then(|| {
        use std::hash::{Hash, Hasher};
        let mut h = crate::hash::FastHasher::default();
        for f in &theme.templates {
            (&f.rel, &f.bytes).hash(&mut h);
        }
        match theme::read_tree(&config.templates_dir(), "templates") {
            Ok(site) => {
                for f in &site {
                    (&f.rel, &f.bytes).hash(&mut h);
                }
            }
            Err(d) => d.message.hash(&mut h),
        }
        h.finish()
    });
    if let (Some(d), Some((known, loaded))) = (digest, &memo.templates)
        && d == *known
    {
        return Some((loaded.clone(), theme));
    }
    match Templates::load(config, &theme) {
        Ok(t) => {
            let loaded = Arc::new(t);
            if let Some(d) = digest {
                memo.templates = Some((d, loaded.clone()));
            }
            Some((loaded, theme))
        }
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

/// Theme and site static files, the highlight stylesheet, the web app
/// manifest and its icons, content assets and the sitemap.
fn static_files(
    config: &Config,
    theme: &theme::Theme,
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
    // The manifest and icons, unless the site brings its own.
    for f in crate::install::files(config) {
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
        files.push(render::sitemap(base_url, graph));
    }
    files
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the map inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn io_failure(e: anyhow::Error) -> BuildFailure {
    BuildFailure {
        diagnostics: Vec::new(),
        error: Some(e),
    }
}

/// Two outputs of one path (or of paths that differ only in case, one file
/// on Windows and macOS): an error on the content file involved, naming
/// what else writes there. Pages among themselves are checked earlier
/// (`graph`); here a page meets what zhiku, the theme or `static/` writes
/// (`slug: search` and the search page).
fn check_output_collisions(paths: &[String], graph: &SiteGraph, sink: &mut Diagnostics) {
    let content: std::collections::HashMap<String, String> = graph
        .pages
        .iter()
        .map(|p| (p.out_file(), format!("content/{}", p.source)))
        .chain(graph.sections.iter().map(|s| {
            let source = s.source.clone().unwrap_or_else(|| s.dir.clone());
            (s.out_file(), format!("content/{source}"))
        }))
        .map(|(out, source)| (out.to_lowercase(), source))
        .collect();
    // What else writes a path: the paths themselves do not say.
    let generated = |path: &str| {
        let what = match path.split('/').next() {
            Some("search") => "the search page and index",
            Some("assets") => "the theme's assets",
            _ => "a file of the theme, of `static/`, or that zhiku writes",
        };
        format!("{what} (`{path}`)")
    };
    let mut seen = std::collections::HashMap::new();
    for path in paths {
        if let Some(first) = seen.insert(path.to_lowercase(), path.as_str()) {
            // A page writes its path once: a second writer of the same
            // spelling is something else.
            let page = |p: &str| content.get(&p.to_lowercase()).cloned();
            let (at, other) = match (page(first), page(path)) {
                (Some(a), Some(b)) if a != b => (b, a),
                (Some(a), _) | (None, Some(a)) => (a, generated(path)),
                (None, None) => (format!("static/{path}"), generated(first)),
            };
            sink.push(
                Diagnostic::error(
                    at,
                    format!("writes the same output file `{path}` as {other}"),
                )
                .with_hint("give the page another `slug:`, or rename the static file"),
            );
        }
    }
}

/// What to put in the single-file edition.
#[derive(Debug, Clone, Default)]
pub struct SingleFileOptions {
    /// One section (its folder, `cases`, or its title); `None`: the site.
    pub section: Option<String>,
    /// Include drafts.
    pub include_drafts: bool,
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

/// The single-file edition's navigation script, a theme static file that
/// only that edition uses.
const SINGLE_SCRIPT: &str = "assets/single.js";

/// An image above this many bytes makes the single file heavy to send
/// through a chat app: warned about, still inlined.
pub const SINGLE_FILE_IMAGE_WARNING: usize = 512 * 1024;

/// The single-file edition (issue 8): the same stages as [`build`] up to
/// the templates, then one document of the chosen pages rendered with the
/// theme's `single.html`, links in-file, stylesheet, scripts, images and
/// search index inside. Nothing is written.
pub fn single_file(
    root: &Path,
    options: &SingleFileOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<SingleFile, BuildFailure> {
    let config = load_config(root)?;
    let mut memo = Memo::once();
    let mut sink = Diagnostics::new();
    progress("discover", 0);
    let (found, _) = discover_or_reuse(&config, None, &mut memo, &mut sink)?;
    progress("parse", found.markdown.len());
    let probes = parse_sources(&found.markdown, None, options.include_drafts, &memo);
    progress("markdown", probes.len());
    let loaded = render_markdown(
        &config,
        &found.markdown,
        probes,
        options.include_drafts,
        &mut memo,
        &mut sink,
    );
    progress("graph", loaded.pages.len());
    let (mut graph, diagnostics) =
        graph::build(&found.dirs, loaded.sections, loaded.pages, &found.assets);
    sink.extend(diagnostics);
    sink.extend(graph::links::resolve(&mut graph));
    let (taxonomies, diagnostics) = graph::taxonomy::build(&graph, &config.taxonomies);
    sink.extend(diagnostics);
    progress("templates", 0);
    let templates = load_templates(&config, &mut memo, &mut sink);
    let failed = |sink: Diagnostics| BuildFailure {
        diagnostics: sink.sorted(),
        error: None,
    };
    let Some((templates, theme)) = templates.filter(|_| !sink.has_errors()) else {
        return Err(failed(sink));
    };
    if !templates.has("single.html") {
        sink.push(Diagnostic::error(
            format!("themes/{}/templates", theme.name),
            "the theme has no `single.html` template for the single-file edition",
        ));
        return Err(failed(sink));
    }
    let chosen = match chosen_sections(&graph, options.section.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            sink.push(d);
            return Err(failed(sink));
        }
    };
    let pages: Vec<usize> = chosen
        .iter()
        .flat_map(|&(s, _)| graph.sections[s].pages.iter().copied())
        .collect();

    progress("render", pages.len());
    let mut in_file = render::InFile::default();
    for &(s, _) in &chosen {
        let section = &graph.sections[s];
        in_file.anchors.insert(
            section.out_file(),
            render::single_anchor('s', &section.out_dir),
        );
    }
    for &p in &pages {
        let page = &graph.pages[p];
        in_file
            .anchors
            .insert(page.out_file(), render::single_anchor('p', &page.out_dir));
    }
    let image_bytes = inline_images(&config, &graph, &pages, &mut in_file, &mut sink);

    let statics = static_files(&config, &theme, &graph, &mut sink);
    let asset = |path: &str| {
        statics
            .iter()
            .find(|f| f.path == path)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    };
    let has_code = pages.iter().any(|&p| graph.pages[p].rendered.has_code);
    let has_checklist = pages
        .iter()
        .any(|&p| graph.pages[p].kind == Kind::Checklist);
    let search = config.search.enabled && !pages.is_empty();
    let mut css = asset("assets/zhiku.css");
    if search {
        css.push_str(&asset("assets/search.css"));
    }
    if has_code {
        css.push_str(&asset("assets/syntax.css"));
    }
    let mut js = String::new();
    if search {
        js.push_str(&asset("assets/search.js"));
    }
    js.push_str(&asset("assets/zhiku.js"));
    if has_checklist {
        js.push_str(&asset("assets/checklist.js"));
    }
    let single_script = statics
        .iter()
        .find(|f| f.path == SINGLE_SCRIPT)
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .or_else(|| {
            theme
                .statics
                .iter()
                .find(|f| f.rel == SINGLE_SCRIPT)
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        })
        .unwrap_or_default();
    js.push_str(&single_script);
    let search_data = if search {
        let synonyms = crate::search::synonyms::Synonyms::new(&config.search.synonyms);
        match single_file_search(&graph, &pages, &taxonomies, &synonyms) {
            Ok(data) => data,
            Err(d) => {
                sink.push(d);
                return Err(failed(sink));
            }
        }
    } else {
        String::new()
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
    let site = render::Site {
        config: &config,
        graph: &graph,
        taxonomies: &taxonomies,
        templates: &templates,
        in_file: Some(&in_file),
    };
    let html = match site.single_file(&chosen, &parts) {
        Ok(html) => html,
        Err(d) => {
            sink.push(d);
            return Err(failed(sink));
        }
    };
    Ok(SingleFile {
        // After `</html>`, where a comment changes nothing: the mark by
        // which `zhiku pack` knows it may replace the file (issue 13).
        html: format!("{html}{}\n", crate::pack::SINGLE_FILE_MARK).into_bytes(),
        pages: pages.len(),
        image_bytes,
        warnings: sink.sorted(),
    })
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
                        .map(|s| format!("{} ({})", s.dir, s.meta.title))
                        .collect();
                    Diagnostic::error("content", format!("there is no section `{w}`"))
                        .with_hint(format!("sections: {}", names.join(", ")))
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
                                format!(
                                    "this image adds {} KB to the single file",
                                    bytes.len() / 1024
                                ),
                            )
                            .with_hint("a smaller image keeps the file easy to send to a phone"),
                        );
                    }
                    total += bytes.len();
                    let data = format!(
                        "data:{};base64,{}",
                        image_type(&path),
                        crate::base64::encode(&bytes)
                    );
                    in_file.images.insert(path, data);
                }
                Err(e) => sink.push(Diagnostic::error(&label, format!("{e:#}"))),
            }
        }
    }
    total
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
    taxonomies: &[graph::taxonomy::Taxonomy],
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
