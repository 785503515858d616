//! Stages "render", "assets" and "write" of a build: every file goes to
//! the writer as it is rendered, with its revision for the offline list;
//! on any error nothing is published and the previous output stays as it
//! was.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::diagnostics::Diagnostics;
use crate::output::{self, OutputFile, WriteReport};
use crate::render;
use crate::search::stage::{Indexed, OnDisk};

use super::{BuildFailure, BuildOptions, BuildReport, Cache, Site};

/// The name of [`Written`] in the cache on disk: one per output folder
/// (`-o` may name several).
pub(crate) fn written_name(output_dir: &std::path::Path) -> String {
    let dir = crate::output::resolve(output_dir);
    format!("written/{:016x}.bin", crate::hash::of(dir))
}

/// What the last successful build wrote, and where.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Written {
    pub(crate) output_dir: PathBuf,
    /// The manifest's size and modified time: if they changed, someone
    /// else wrote there, and nothing on disk can be trusted.
    pub(crate) manifest: Option<(SystemTime, u64)>,
    /// Fingerprints of rendered outputs, by path.
    pub(crate) outputs: HashMap<String, u64>,
    /// Every file's revision (`offline::revision`), by path.
    pub(crate) revisions: HashMap<String, u64>,
    /// The search index's files.
    pub(crate) index: OnDisk,
    /// Written by this process (which surveyed the folder first); false
    /// for a record read from the cache on disk, another process's.
    #[serde(skip)]
    pub(crate) ours: bool,
}

/// The files of one build on their way to the writer.
struct Outputs {
    /// `None` for `check`, or when the build already failed.
    writer: Option<output::Writer>,
    /// Every file's revision, for the offline list (see `offline`).
    revisions: Mutex<HashMap<String, u64>>,
    /// Every path the build produces.
    paths: Vec<String>,
    /// Files the writer handed back, to write at the end.
    pending: Vec<OutputFile>,
}

/// Renders, adds the assets, writes; remembers in `cache` what was written.
pub(super) fn publish(
    mut site: Site,
    mut index: Indexed,
    output_dir: PathBuf,
    options: &BuildOptions,
    cache: &mut Cache,
    progress: &dyn Fn(&str, usize),
) -> Result<BuildReport, BuildFailure> {
    progress("render", site.graph.pages.len() + site.graph.sections.len());
    let write = options.write && site.templates.is_some() && !site.sink.has_errors();
    let mut out = Outputs::prepare(write, &output_dir)?;
    out.paths.append(&mut index.paths);
    for file in std::mem::take(&mut index.write) {
        out.pending.extend(out.emit(file));
    }
    let previous = cache.written.as_ref().filter(|_| options.write);
    let rendered = out.render(&mut site, &cache.sources, previous, cache.remembers());
    site.timer.lap("render");

    progress("assets", 0);
    let list_deferred = out.add_assets(&mut site, previous, options.defer_search);
    site.timer.lap("assets");

    let files = out.paths.len();
    let store = cache.written_store().cloned().filter(|_| options.write);
    let record = written_name(&output_dir);
    if let Some(store) = &store {
        // Until this build's record is saved, the output may differ from
        // the last record: a build killed while writing leaves none.
        store.remove(&record);
    }
    let (write, revisions) = out.finish(&mut site.sink, progress)?;
    site.timer.lap("write");
    if options.write && (cache.keeps() || store.is_some()) {
        let written = Written {
            manifest: super::cache::exact_stat(&output_dir.join(output::MANIFEST)),
            output_dir: output_dir.clone(),
            outputs: rendered.fingerprints,
            revisions,
            index: index.on_disk,
            ours: true,
        };
        // A build that left the index or the offline list for the next
        // one (serve, before its reload) leaves the record to that build
        // too: saving it costs ~20 ms at 10,000 pages, on the way to the
        // reload. Until then there is no record, as after a killed build.
        let follows = index.deferred || list_deferred;
        if let Some(store) = store.as_ref().filter(|_| !follows) {
            store.save(&record, &written);
        }
        if cache.keeps() {
            cache.written = Some(written);
        }
    }
    let (pages, sections) = (site.graph.pages.len(), site.graph.sections.len());
    if cache.keeps() {
        cache.graph.keep(site.graph, site.taxonomies);
    } else {
        release((site.graph, site.taxonomies));
    }
    Ok(BuildReport {
        output_dir,
        pages,
        sections,
        files,
        write,
        warnings: site.sink.sorted(),
        timings: site.timer.laps,
        search: index.stats,
        search_deferred: index.deferred || list_deferred,
        reused: rendered.reused,
        cache_notes: cache.take_notes(),
    })
}

impl Outputs {
    /// Files go to the writer as they are rendered; `check` (or a build
    /// that already failed) keeps nothing.
    fn prepare(write: bool, output_dir: &std::path::Path) -> Result<Outputs, BuildFailure> {
        let writer = if write {
            Some(output::Writer::prepare(output_dir).map_err(super::io_failure)?)
        } else {
            None
        };
        Ok(Outputs {
            writer,
            revisions: Mutex::default(),
            paths: Vec::new(),
            pending: Vec::new(),
        })
    }

    /// Hands a file to the writer, noting its revision; what the writer
    /// hands back is written at the end.
    fn emit(&self, file: OutputFile) -> Option<OutputFile> {
        let w = self.writer.as_ref()?;
        let rev = crate::offline::revision(&file.bytes);
        lock(&self.revisions).insert(file.path.clone(), rev);
        w.offer(file)
    }

    /// Stage "render": every page, section, taxonomy and print page; an
    /// output whose fingerprint is the last build's is not rendered again.
    fn render(
        &mut self,
        site: &mut Site,
        sources: &crate::sources::SourceCache,
        previous: Option<&Written>,
        keeps: bool,
    ) -> render::Rendered {
        let Some((templates, _)) = site.templates.as_ref().filter(|_| !site.sink.has_errors())
        else {
            return render::Rendered::default();
        };
        let view = render::Site {
            config: &site.config,
            graph: &site.graph,
            taxonomies: &site.taxonomies,
            templates,
            in_file: None,
            chrome: &site.chrome,
        };
        let no_outputs = HashMap::new();
        let digest = |rel: &str| sources.digest(rel);
        let reuse = render::Reuse {
            digest: &digest,
            config: site.config_digest,
            previous: previous.map_or(&no_outputs, |w| &w.outputs),
        };
        let mut rendered = render::render_all(&view, &|f| self.emit(f), keeps.then_some(&reuse));
        site.sink.extend(std::mem::take(&mut rendered.diagnostics));
        self.paths.extend(std::mem::take(&mut rendered.paths));
        self.pending.extend(std::mem::take(&mut rendered.kept));
        rendered
    }

    /// Stage "assets": static files and the offline list (its revisions of
    /// files not rendered again are the last build's); whether the list on
    /// disk was left as it was (`defer_search`).
    fn add_assets(
        &mut self,
        site: &mut Site,
        previous: Option<&Written>,
        defer_search: bool,
    ) -> bool {
        let Some((templates, theme)) = &site.templates else {
            return false;
        };
        let (graph, ui) = (&site.graph, templates.ui());
        let mut statics =
            render::assets::static_files(&site.config, theme, ui, graph, &mut site.sink);
        self.paths.extend(statics.iter().map(|f| f.path.clone()));
        let redirects =
            render::aliases::redirects(&site.config, ui, graph, &self.paths, &mut site.sink);
        self.paths.extend(redirects.iter().map(|f| f.path.clone()));
        statics.extend(redirects);
        let mut list_deferred = false;
        if self.writer.is_some() {
            list_deferred = defer_search && previous.is_some_and(has_list);
            let mut known = previous.map(|w| w.revisions.clone()).unwrap_or_default();
            known.extend(std::mem::take(&mut *lock(&self.revisions)));
            for f in &statics {
                known.insert(f.path.clone(), crate::offline::revision(&f.bytes));
            }
            if list_deferred {
                // Like the index: the list on disk stays as it was, and
                // the next build (right after the reload) brings it up to date.
                self.paths.push(crate::offline::LIST.into());
            } else {
                let list = crate::offline::list(&self.paths, &known);
                known.insert(list.path.clone(), crate::offline::revision(&list.bytes));
                self.paths.push(list.path.clone());
                statics.push(list);
            }
            *lock(&self.revisions) = known;
        }
        render::assets::check_output_collisions(&self.paths, graph, &mut site.sink);
        if !site.sink.has_errors() {
            for f in statics {
                self.pending.extend(self.emit(f));
            }
        }
        list_deferred
    }

    /// Stage "write": renames everything into place, or on any error
    /// removes what was written and reports every problem.
    fn finish(
        self,
        sink: &mut Diagnostics,
        progress: &dyn Fn(&str, usize),
    ) -> Result<(WriteReport, HashMap<String, u64>), BuildFailure> {
        let io_error = self.writer.as_ref().and_then(output::Writer::take_error);
        if sink.has_errors() || io_error.is_some() {
            if let Some(w) = self.writer {
                w.abort();
            }
            return Err(BuildFailure {
                diagnostics: std::mem::take(sink).sorted(),
                error: io_error,
            });
        }
        let revisions = self
            .revisions
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let write = match self.writer {
            Some(w) => {
                progress("write", self.pending.len());
                w.finish(self.pending, &self.paths)
                    .map_err(super::io_failure)?
            }
            None => WriteReport::default(),
        };
        Ok((write, revisions))
    }
}

/// Frees `value` on a thread of its own. A single build's graph is
/// hundreds of megabytes of small allocations on a large site, and freeing
/// them costs as much as an unchanged rebuild's rendering; `zhiku build`
/// exits without waiting for it.
fn release<T: Send + 'static>(value: T) {
    // If no thread can be started, the value is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

fn has_list(w: &Written) -> bool {
    w.revisions.contains_key(crate::offline::LIST)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the map inconsistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
