//! `zhiku serve` and `zhiku watch`: build, watch, rebuild, on top of the
//! library. The build knows nothing of this loop; the loop knows nothing of
//! HTTP beyond telling the [`DevServer`] what happened.
//!
//! Every rebuild goes through one [`Cache`], so it costs what changed
//! (DESIGN.md: memoised stages). `serve` builds into a folder of its own
//! ([`outdir`]), never into the site's `public/`: a broken save cannot
//! damage a build meant for deployment. It rebuilds the pages first, tells
//! the browser to reload, and then brings the search index up to date (a
//! second, memoised build), so a reload does not wait for the index.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::messages;
use crate::messages::Lang;
use crate::pipeline::Cache;
use crate::pipeline::{self, BuildFailure, BuildOptions, BuildReport};
use crate::serve::{DevServer, Event, Problem, ServeOptions};
use crate::tr;
use crate::watch::{Batch, Change, Mode, Watcher};

mod outdir;
use outdir::ServeDir;

/// How to run the dev loop.
#[derive(Debug, Clone)]
pub struct PreviewOptions {
    /// The site folder.
    pub site_dir: PathBuf,
    /// Include drafts.
    pub include_drafts: bool,
    /// Always poll instead of native file events.
    pub poll: bool,
    /// `zhiku watch`: build into a folder holding files zhiku did not write.
    pub force: bool,
    /// Publish at this address instead of site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Print only errors and warnings (`-q`).
    pub quiet: bool,
    /// Start from the build cache and keep what was built there
    /// (`.zhiku-cache/`; false for `--no-cache`).
    pub use_cache: bool,
}

/// How long the search index waits after a reload before it is brought
/// up to date: the open pages fetch and lay out their new text meanwhile,
/// and the index would take both cores from them (at 10,000 pages the
/// new text showed in Chromium a median 230 ms after the save with no
/// wait, 170 ms with this one).
const RELOAD_GRACE: Duration = Duration::from_millis(250);

/// `zhiku serve`: builds, serves, rebuilds and reloads until interrupted.
pub fn serve(options: &PreviewOptions, bind: IpAddr, port: Option<u16>, open: bool) -> Result<()> {
    let root = site_root(&options.site_dir)?;
    // Before any thread starts: see `outdir::PrivateDir::create`.
    let (dir, note) = ServeDir::open(&root, options.use_cache)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let out = dir.path().to_path_buf();
    // The server first: a taken port is an error before any work is done,
    // and a browser opened early gets its page when the build is done.
    let server = DevServer::start(ServeOptions {
        bind,
        port,
        root: out.clone(),
    })?;
    if let Ok(config) = Config::load(&root) {
        server.set_lang(Lang::of_site(&config.language));
    }
    let mut session = Session::new(&root, out.clone(), options, dir.is_kept());
    // Watching starts before the first build: a save made while it runs,
    // or right after the address is printed, is not lost.
    let watcher = session.watcher(options.poll)?;
    server.notify(match session.build(false, None) {
        Ok(_) => Event::Reload,
        Err(problems) => Event::Errors(problems),
    });
    if let Some(note) = server.fallback() {
        eprintln!("{note}");
    }
    println!(
        "{}",
        tr!("preview.serving", site = root.display(), url = server.url())
    );
    if let Some(url) = server.network_url() {
        println!("{}", tr!("preview.network", url = url));
    }
    if !options.quiet {
        eprintln!("{}", tr!("preview.output", dir = out.display()));
    }
    if open {
        open_browser(&server.url());
    }
    let mut next = None;
    loop {
        let batch = next.take().unwrap_or_else(|| watcher.next_batch());
        report_batch(&batch, &root, options.quiet);
        match session.build(true, changed(&batch)) {
            Ok(report) => {
                server.notify(if stylesheets_only(&batch) {
                    Event::Css
                } else {
                    Event::Reload
                });
                if report.search_deferred {
                    // The index is rebuilt after the reload, once the open
                    // pages have had the cores to reload (it takes both),
                    // unless more changes come first: their build defers
                    // it again. Errors there were errors of the build just
                    // done too.
                    next = watcher.next_batch_timeout(RELOAD_GRACE);
                    if next.is_none() {
                        let _ = session.build(false, Some(Vec::new()));
                    }
                }
            }
            Err(problems) => server.notify(Event::Errors(problems)),
        }
    }
}

/// `zhiku watch`: builds into the output folder and rebuilds on change.
pub fn watch(options: &PreviewOptions, output: Option<PathBuf>) -> Result<()> {
    let root = site_root(&options.site_dir)?;
    let out = match output {
        Some(o) => o,
        None => Config::load(&root)
            .map(|c| c.output_dir)
            .unwrap_or_else(|_| root.join("public")),
    };
    let mut session = Session::new(&root, out.clone(), options, options.use_cache);
    let watcher = session.watcher(options.poll)?;
    let _ = session.build(false, None);
    println!(
        "{}",
        tr!(
            "preview.watching",
            site = root.display(),
            dir = out.display()
        )
    );
    loop {
        let batch = watcher.next_batch();
        report_batch(&batch, &root, options.quiet);
        let _ = session.build(false, changed(&batch));
    }
}

/// A site being rebuilt.
struct Session {
    root: PathBuf,
    out: PathBuf,
    include_drafts: bool,
    force: bool,
    base_url: Option<String>,
    quiet: bool,
    cache: Cache,
}

impl Session {
    /// `kept`: the output folder outlives the session, and the build cache
    /// keeps its record of what the folder holds; otherwise only the
    /// source files' entries are kept there.
    fn new(root: &Path, out: PathBuf, options: &PreviewOptions, kept: bool) -> Session {
        let disk = root.join(crate::disk_cache::DIR);
        let cache = match (options.use_cache, kept) {
            (false, _) => Cache::default(),
            (true, true) => Cache::default().with_disk(&disk),
            (true, false) => Cache::default().with_disk_sources(&disk),
        };
        Session {
            root: root.to_path_buf(),
            out,
            include_drafts: options.include_drafts,
            force: options.force,
            base_url: options.base_url.clone(),
            quiet: options.quiet,
            // What the session computed outlives it, so the next one
            // starts without reading, rendering and writing every file
            // again.
            cache,
        }
    }

    /// Builds, prints the outcome, and returns the report or the problems
    /// to show in the browser.
    /// `changed`: the files the watcher saw change (`None`: look at all).
    fn build(
        &mut self,
        defer_search: bool,
        changed: Option<Vec<PathBuf>>,
    ) -> Result<BuildReport, Vec<Problem>> {
        let started = Instant::now();
        let options = BuildOptions {
            output_dir: Some(self.out.clone()),
            include_drafts: self.include_drafts,
            write: true,
            defer_search,
            changed,
            force: self.force,
            cache_dir: None,
            base_url: self.base_url.clone(),
            strict: false,
        };
        let result = pipeline::build_with(&self.root, &options, &mut self.cache, &|_, _| {});
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(report) => {
                for w in &report.warnings {
                    eprint!("{}", w.render(&self.root));
                }
                if !self.quiet {
                    eprintln!("{}", outcome(&report, defer_search, ms));
                }
                Ok(report)
            }
            Err(failure) => {
                print_failure(&failure, &self.root);
                Err(problems(&failure))
            }
        }
    }

    fn watcher(&self, poll: bool) -> Result<Watcher> {
        let mut ignored = vec![self.out.clone()];
        if let Ok(config) = Config::load(&self.root) {
            ignored.push(config.output_dir);
        }
        let watcher = Watcher::new(
            &self.root,
            ignored,
            Some(self.root.join("themes")),
            if poll { Mode::Poll } else { Mode::Auto },
        )?;
        if let Some(note) = watcher.note() {
            eprintln!("{note}");
        }
        Ok(watcher)
    }
}

fn site_root(dir: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(dir).with_context(|| tr!("preview.cannot_open", dir = dir.display()))
}

/// Whether only stylesheets changed (and the folders holding them, when
/// new): the browser swaps them in place.
fn stylesheets_only(batch: &Batch) -> bool {
    let files: Vec<&PathBuf> = batch.paths.iter().filter(|p| !p.is_dir()).collect();
    !batch.rescan
        && !files.is_empty()
        && batch
            .changes
            .iter()
            .all(|c| matches!(c, Change::Static | Change::Theme))
        && files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"))
}

/// The paths a batch names, for the build to look at only those (none
/// when events were lost).
fn changed(batch: &Batch) -> Option<Vec<PathBuf>> {
    (!batch.rescan).then(|| batch.paths.iter().cloned().collect())
}

/// A successful rebuild in a line: "Built 1,204 pages and 30 sections in 41 ms: …".
fn outcome(report: &BuildReport, defer_search: bool, ms: f64) -> String {
    let ms = format!("{ms:.0}");
    let pages = messages::count(report.pages, "cli.page");
    let sections = messages::count(report.sections, "cli.section");
    let written = messages::count(report.write.written, "cli.file");
    let removed = report.write.removed;
    let mut line = if report.search_deferred || defer_search {
        tr!(
            "preview.rebuilt",
            ms = ms,
            pages = pages,
            sections = sections,
            written = written,
            removed = removed
        )
    } else {
        tr!(
            "preview.built",
            ms = ms,
            pages = pages,
            sections = sections,
            written = written,
            removed = removed
        )
    };
    if report.reused > 0 {
        line.push_str(&tr!("preview.reused", n = report.reused));
    }
    if report.search_deferred {
        line.push_str(&tr!("preview.indexing"));
    }
    line
}

fn report_batch(batch: &Batch, root: &Path, quiet: bool) {
    for note in &batch.notes {
        eprintln!("{note}");
    }
    if !quiet {
        eprintln!("{}", describe(batch, root));
    }
}

/// "changed: content/a.md, content/b.md and 3 more".
fn describe(batch: &Batch, root: &Path) -> String {
    if batch.rescan {
        return tr!("preview.rescan");
    }
    let names: Vec<String> = batch
        .paths
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    match names.len() {
        0 => tr!("preview.changed_site"),
        1..=3 => tr!("preview.changed", files = names.join(", ")),
        n => tr!(
            "preview.changed_more",
            files = names[..2].join(", "),
            n = n - 2
        ),
    }
}

fn print_failure(failure: &BuildFailure, root: &Path) {
    for d in &failure.diagnostics {
        eprint!("{}", d.render(root));
    }
    if let Some(e) = &failure.error {
        eprintln!("{}", tr!("cli.error", message = format!("{e:#}")));
    }
    eprintln!("{}", tr!("preview.failed"));
}

/// A failure as the browser's overlay shows it: the errors, then an IO
/// error if there was one.
fn problems(failure: &BuildFailure) -> Vec<Problem> {
    let mut out: Vec<Problem> = failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(Problem::from)
        .collect();
    if let Some(e) = &failure.error {
        out.push(Problem::from(&Diagnostic::error("", format!("{e:#}"))));
    }
    out
}

fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("{}", tr!("preview.no_browser", url = url));
    }
}
