//! A build, stage by stage. Each stage lives in its own module and owns
//! its cache entry ([`Cache`]); this file names them in order:
//!
//! | stage | module | cache |
//! | --- | --- | --- |
//! | configuration | [`crate::config`] | — (a change clears every cache) |
//! | discover, parse, markdown | [`crate::sources`] (over [`crate::content`], [`crate::markdown`]) | per file |
//! | graph | [`crate::graph::cache`] | the last graph, reused when provably the same |
//! | templates | [`crate::templates`] | the compiled templates |
//! | search | [`crate::search::stage`] | the index and its inputs' digest |
//! | render, assets, write | `publish` (over [`crate::render`], [`crate::output`]) | what was written |
//!
//! [`load`] runs the stages every edition needs (up to the templates);
//! [`build_with`] adds search, render and write, and the single-file
//! edition (`single`) renders one document from the same [`Site`].
//!
//! Content faults are collected from every stage and reported together;
//! if any is an error, nothing is written and the previous output stays
//! exactly as it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::SiteGraph;
use crate::graph::taxonomy::Taxonomy;
use crate::output::{self, WriteReport};
use crate::search::stage::Inputs;
use crate::templates::Templates;
use crate::theme::Theme;

mod cache;
mod publish;
mod single;
mod timer;

pub use cache::Cache;
pub use single::{
    SINGLE_FILE_IMAGE_WARNING, SINGLE_FILE_MARK, SingleFile, SingleFileOptions, single_file,
};
pub use timer::StageTime;
use timer::Timer;

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `output_dir` from site.toml.
    pub output_dir: Option<PathBuf>,
    /// Include pages and sections marked `draft: true`.
    pub include_drafts: bool,
    /// Write the output (false for `zhiku check`).
    pub write: bool,
    /// With a cache: leave the search index and the offline list on disk
    /// as they are; the next build brings them up to date (the dev server
    /// reloads pages first).
    pub defer_search: bool,
    /// With a cache: the only files that changed since the last build (a
    /// file watcher's report); `None` looks at every file.
    pub changed: Option<Vec<PathBuf>>,
    /// Write into an output folder that holds files zhiku did not write
    /// (they are left alone unless a file of the site has the same name).
    pub force: bool,
    /// Keep what the build computed in this folder (the site's
    /// [`crate::disk_cache::DIR`]), and start from what it holds.
    pub cache_dir: Option<PathBuf>,
    /// Publish at this address instead of site.toml's `base_url`
    /// (`--base-url`).
    pub base_url: Option<String>,
    /// Warnings fail the build as errors do (`--strict`).
    pub strict: bool,
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
    /// What was wrong with the cache on disk (a damaged file, ignored).
    pub cache_notes: Vec<String>,
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
    "templates",
    "search",
    "render",
    "assets",
    "write",
];

/// A site loaded: its graph and templates, and what the stages had to say.
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// A digest of it (outputs' fingerprints include it).
    pub config_digest: u64,
    /// Sections, pages, links.
    pub graph: SiteGraph,
    /// Tags, problems and the site's own taxonomies.
    pub taxonomies: Vec<Taxonomy>,
    /// The menu and footer of site.toml, their links resolved.
    pub chrome: crate::render::chrome::Chrome,
    /// The compiled templates and the theme (`None`: they failed).
    pub templates: Option<(Arc<Templates>, Theme)>,
    /// Warnings and errors so far.
    pub sink: Diagnostics,
    timer: Timer,
}

/// What to load.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// Include pages and sections marked `draft: true`.
    pub include_drafts: bool,
    /// The only files that changed since the cache's last build.
    pub changed: Option<&'a [PathBuf]>,
    /// Another build follows at once (the dev server's, after a reload):
    /// leave the cache on disk to it.
    pub save_later: bool,
    /// Warnings count as errors (`--strict`).
    pub strict: bool,
}

/// Builds the site at `root`. `progress` is told when each stage starts.
pub fn build(
    root: &Path,
    options: &BuildOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<BuildReport, BuildFailure> {
    let mut cache = Cache::once();
    if let Some(dir) = &options.cache_dir {
        cache = cache.with_disk(dir);
    }
    build_with(root, options, &mut cache, progress)
}

/// Builds the site at `root`, reusing what `cache` kept from earlier
/// builds in this process and keeping this build's for the next. The
/// output is the same as [`build`]'s, byte for byte.
pub fn build_with(
    root: &Path,
    options: &BuildOptions,
    cache: &mut Cache,
    progress: &dyn Fn(&str, usize),
) -> Result<BuildReport, BuildFailure> {
    let config = load_config(root, options.base_url.as_deref())?;
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    cache.begin(setting(config_digest(&config), options.include_drafts));
    cache.check_written(&output_dir);
    cache.check_outputs_present();
    if options.write {
        output::check_output_dir(root, &output_dir).map_err(|d| vec![d])?;
        // Once per process and folder: later builds wrote it themselves.
        if !cache.written.as_ref().is_some_and(|w| w.ours) {
            output::survey(&output_dir, options.force).map_err(|d| vec![d])?;
        }
    }
    let load_options = LoadOptions {
        include_drafts: options.include_drafts,
        changed: options.changed.as_deref(),
        save_later: options.defer_search,
        strict: options.strict,
    };
    let mut site = load(config, &load_options, cache, progress)?;

    progress("search", site.graph.pages.len());
    let written = cache.written.as_ref();
    let inputs = Inputs {
        config: &site.config,
        config_digest: site.config_digest,
        defer: options.defer_search,
        source_digest: &|rel| cache.sources.digest(rel),
        on_disk: written.map(|w| &w.index),
    };
    let index = cache
        .search
        .index(&mut site.graph, &site.taxonomies, &inputs, &mut site.sink);
    site.timer.lap("search");
    publish::publish(site, index, output_dir, options, cache, progress)
}

/// Loads the site: discover, front matter, Markdown, graph and templates,
/// each stage reusing what `cache` kept.
pub fn load(
    config: Config,
    options: &LoadOptions<'_>,
    cache: &mut Cache,
    progress: &dyn Fn(&str, usize),
) -> Result<Site, BuildFailure> {
    let config_digest = config_digest(&config);
    cache.begin(setting(config_digest, options.include_drafts));
    let (mut sink, mut timer) = (Diagnostics::new(), Timer::start());
    sink.set_strict(options.strict);
    progress("discover", 0);
    let discovered = cache
        .sources
        .discover(&config, options.changed, &mut sink)?;
    timer.lap("discover");
    progress("parse", discovered.markdown_files());
    let probes = cache.sources.parse(&discovered, options.include_drafts);
    timer.lap("parse");
    progress("markdown", probes.len());
    let drafts = options.include_drafts;
    let sources = cache
        .sources
        .render(&config, discovered, probes, drafts, &mut sink);
    if !options.save_later {
        cache.sources.save();
    }
    timer.lap("markdown");
    progress("graph", sources.found.markdown.len());
    let found = &sources.found;
    let (graph, taxonomies, diagnostics) = cache.graph.build(crate::graph::cache::Inputs {
        dirs: &found.dirs,
        sections: sources.sections,
        pages: sources.pages,
        assets: &found.assets,
        config: &config,
        fresh: sources.fresh.as_deref(),
    });
    sink.extend(diagnostics);
    let chrome = crate::render::chrome::Chrome::resolve(&config, &graph, &mut sink);
    timer.lap("graph");
    progress("templates", 0);
    let templates = cache.templates.load(&config, &mut sink);
    timer.lap("templates");
    Ok(Site {
        config,
        config_digest,
        graph,
        taxonomies,
        chrome,
        templates,
        sink,
        timer,
    })
}

/// A digest of everything `site.toml` says.
fn config_digest(config: &Config) -> u64 {
    crate::hash::of(format!("{config:?}"))
}

/// What the caches were made under: the configuration and the options
/// that change what a stage produces.
fn setting(config_digest: u64, include_drafts: bool) -> u64 {
    crate::hash::of((config_digest, include_drafts))
}

/// `site.toml`, with what later stages check of it (the search synonyms),
/// published at `base_url` when it is given.
fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, BuildFailure> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config = config.with_base_url(url).map_err(|d| vec![d])?;
    }
    let errors = crate::search::synonyms::check_site(&config.search.synonyms);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(config)
}

fn io_failure(e: anyhow::Error) -> BuildFailure {
    BuildFailure {
        diagnostics: Vec::new(),
        error: Some(e),
    }
}
