//! The command line: clap structs per subcommand; each handler builds an
//! options struct and calls the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{Diagnostic, count};
use crate::pack::{self, PackFailure, PackOptions};
use crate::pipeline::{self, BuildFailure, BuildOptions, BuildReport};

/// zhiku (知库): builds a searchable static site of regulations, meeting
/// checklists and case studies from a folder of Markdown.
///
/// A site is a folder with `site.toml` and `content/`. Run `zhiku init DIR`
/// to create one, then `zhiku build` inside it.
#[derive(Debug, Parser)]
#[command(name = "zhiku", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site skeleton that builds at once.
    Init {
        /// Folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Start a new page of a kind, with that kind's front matter and a
    /// short skeleton that builds as it is.
    ///
    /// PATH is under content/ (`cases/会议记录不全` writes
    /// content/cases/会议记录不全.md); folders are created; an existing file
    /// is never replaced. A site's own `archetypes/KIND.md` replaces the
    /// built-in skeleton; in it `{{ title }}` and `{{ date }}` (today) are
    /// filled in.
    New {
        /// What the page is.
        kind: NewKind,
        /// The file to create, relative to content/ (`.md` may be left out).
        path: String,
        /// The page's title [default: the file name].
        #[arg(short, long)]
        title: Option<String>,
        /// The site folder (holding site.toml).
        #[arg(short, long, value_name = "SITE_DIR", default_value = ".")]
        site: PathBuf,
    },
    /// Build the site into its output folder (default `public/`).
    ///
    /// Writes only files whose bytes changed and removes files of the
    /// previous build that are no longer produced. If any error is found,
    /// nothing is written and the previous output stays as it was.
    ///
    /// What a build computes is kept in `.zhiku-cache/` in the site folder
    /// (git ignores it), so the next build reads, renders and indexes only
    /// what changed. `zhiku clean` removes it.
    Build {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Write here instead of `output_dir` from site.toml.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print only errors and warnings.
        #[arg(short, long)]
        quiet: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
        /// Build into a folder that holds files zhiku did not write; files of
        /// the same names as the site's are replaced, the others left alone.
        #[arg(long)]
        force: bool,
        /// Build everything from the sources: neither read nor write the
        /// build cache (`.zhiku-cache/`).
        #[arg(long)]
        no_cache: bool,
    },
    /// Preview the site: build it, serve it on this computer, and rebuild
    /// and reload open pages on every save.
    ///
    /// Watches content/, templates/, static/, themes/ and site.toml. Builds
    /// into a new private folder under the system's temporary folder (removed
    /// when it stops), never into public/. A save that breaks the site shows
    /// the error in the browser (and here) while the last good pages stay
    /// served.
    Serve {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Port to listen on [default: 4004, or a free one if it is taken].
        #[arg(short, long)]
        port: Option<u16>,
        /// Address to listen on; 0.0.0.0 lets phones on the same network
        /// preview too.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using the system's file events (for
        /// network drives, WSL, or when the watch limit is reached).
        #[arg(long)]
        poll: bool,
    },
    /// Rebuild the output folder on every change, without serving it (for
    /// previewing with a server of your own).
    Watch {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Write here instead of `output_dir` from site.toml.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using the system's file events.
        #[arg(long)]
        poll: bool,
        /// Build into a folder that holds files zhiku did not write; files of
        /// the same names as the site's are replaced, the others left alone.
        #[arg(long)]
        force: bool,
    },
    /// Run every check of a build (front matter, links, collisions,
    /// templates) without writing anything.
    Check {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
        /// Neither read nor write the build cache (`.zhiku-cache/`).
        #[arg(long)]
        no_cache: bool,
    },
    /// Remove the build cache (`.zhiku-cache/` in the site folder).
    ///
    /// Safe at any time: the next build reads and renders everything again
    /// and makes a new one. The output folder is left as it is.
    Clean {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
    },
    /// Build the site into one zip (or, with --single-file, one HTML file)
    /// that members can carry and open offline.
    ///
    /// The zip holds the built site with `index.html` at the top. Members
    /// unzip it into a folder ("Extract all" on Windows, or a phone's file
    /// manager) and open `index.html` in a browser: every page, the search
    /// and the checklists work from disk, with no network and no server.
    ///
    /// The site is built into a temporary folder; `public/` is not touched.
    /// If the build finds any error, no zip is written. Packing the same
    /// site again gives the same bytes, so checksums tell copies apart.
    Pack {
        /// The site folder (holding site.toml).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Where to write the zip. Default: `SITE_ID.zip` in the current
        /// folder (`site_id` from site.toml, or the title's slug); a folder
        /// gets `SITE_ID.zip` inside it.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Write one self-contained HTML file instead of a zip: the whole
        /// site, or one SECTION (its folder, e.g. `cases`, or its title).
        /// It opens from a chat attachment or a phone's downloads with no
        /// network; links, search and checklists work inside it. Default
        /// file: `SITE_ID.html` (or `SITE_ID-SECTION.html`).
        #[arg(long, value_name = "SECTION", num_args = 0..=1, default_missing_value = "")]
        single_file: Option<String>,
        /// Replace an existing file at the target that is not a zip (or single
        /// file) that zhiku wrote.
        #[arg(long)]
        force: bool,
    },
}

/// The kinds `zhiku new` starts.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum NewKind {
    /// A regulation or rule text (条例), with articles 第一条….
    Regulation,
    /// A meeting checklist (清单), with task items.
    Checklist,
    /// A case study (案例).
    Case,
    /// Any other page.
    Page,
}

impl From<NewKind> for crate::content::Kind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Regulation => Self::Regulation,
            NewKind::Checklist => Self::Checklist,
            NewKind::Case => Self::Case,
            NewKind::Page => Self::Page,
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

fn execute(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Init { dir } => init(&dir),
        Command::New {
            kind,
            path,
            title,
            site,
        } => Ok(new(&site, kind, path, title)),
        Command::Build {
            site_dir,
            output,
            drafts,
            quiet,
            timings,
            force,
            no_cache,
        } => {
            let options = BuildOptions {
                output_dir: output,
                include_drafts: drafts,
                write: true,
                force,
                cache_dir: cache_dir(&site_dir, no_cache),
                ..BuildOptions::default()
            };
            Ok(run_build(&site_dir, &options, quiet, timings))
        }
        Command::Serve {
            site_dir,
            port,
            bind,
            open,
            drafts,
            poll,
        } => {
            let options = preview_options(site_dir, drafts, poll, false);
            crate::preview::serve(&options, bind, port, open)?;
            Ok(0)
        }
        Command::Watch {
            site_dir,
            output,
            drafts,
            poll,
            force,
        } => {
            crate::preview::watch(&preview_options(site_dir, drafts, poll, force), output)?;
            Ok(0)
        }
        Command::Check {
            site_dir,
            drafts,
            timings,
            no_cache,
        } => {
            let options = BuildOptions {
                include_drafts: drafts,
                cache_dir: cache_dir(&site_dir, no_cache),
                ..BuildOptions::default()
            };
            Ok(run_build(&site_dir, &options, false, timings))
        }
        Command::Clean { site_dir } => clean(&site_dir),
        Command::Pack {
            site_dir,
            output,
            drafts,
            single_file,
            force,
        } => Ok(pack(&site_dir, output, drafts, single_file, force)),
    }
}

/// The site's build cache, unless `--no-cache`.
fn cache_dir(site_dir: &Path, no_cache: bool) -> Option<PathBuf> {
    (!no_cache).then(|| site_dir.join(crate::disk_cache::DIR))
}

fn clean(site_dir: &Path) -> Result<i32> {
    if !site_dir.join(crate::config::CONFIG_FILE).is_file() {
        anyhow::bail!(
            "{} is not a site folder (it has no {})",
            site_dir.display(),
            crate::config::CONFIG_FILE
        );
    }
    match crate::disk_cache::clean(site_dir)? {
        Some(bytes) => println!(
            "Removed the build cache {} ({}).",
            site_dir.join(crate::disk_cache::DIR).display(),
            human_size(bytes)
        ),
        None => println!("There is no build cache to remove."),
    }
    Ok(0)
}

fn init(dir: &Path) -> Result<i32> {
    let created = crate::init::init(dir)?;
    println!(
        "Created a new site in {} ({}).",
        dir.display(),
        count(created.len(), "file", "files")
    );
    // The hint must work when pasted, zhiku on the PATH or not (issue 17).
    println!(
        "Next: cd {} && {} build",
        crate::invocation::quote(&dir.display().to_string()),
        crate::invocation::program()
    );
    Ok(0)
}

fn new(site_dir: &Path, kind: NewKind, path: String, title: Option<String>) -> i32 {
    use crate::new::NewFailure;
    let options = crate::new::NewOptions {
        kind: kind.into(),
        path,
        title,
        today: crate::new::today(),
    };
    let created = match crate::new::new_page(site_dir, &options) {
        Ok(created) => created,
        Err(NewFailure::Refused(d)) => {
            print_diagnostics(&[d], site_dir);
            eprintln!("Nothing was written.");
            return 1;
        }
        Err(NewFailure::Io(e)) => {
            eprintln!("error: {e:#}");
            return 1;
        }
    };
    let in_site = |file: &str| {
        if site_dir == Path::new(".") {
            file.to_string()
        } else {
            site_dir.join(file).display().to_string()
        }
    };
    let kind = options.kind;
    println!(
        "Created {} ({} {}, titled “{}”{}).",
        in_site(&created.file),
        kind.label(),
        kind.as_str(),
        created.title,
        created
            .archetype
            .as_ref()
            .map(|a| format!(", from {a}"))
            .unwrap_or_default()
    );
    if created.title_from_name {
        println!(
            "The title comes from the file name; change `title:` in the file, or use --title."
        );
    }
    let site = if site_dir == Path::new(".") {
        String::new()
    } else {
        format!(
            " {}",
            crate::invocation::quote(&site_dir.display().to_string())
        )
    };
    // The program as the user can run it, on the PATH or not (issue 17).
    let program = crate::invocation::program();
    println!(
        "Next: fill in the text in parentheses （…）, then preview it with `{program} serve{site}`."
    );
    0
}

fn preview_options(
    site_dir: PathBuf,
    include_drafts: bool,
    poll: bool,
    force: bool,
) -> crate::preview::PreviewOptions {
    crate::preview::PreviewOptions {
        site_dir,
        include_drafts,
        poll,
        force,
    }
}

/// `zhiku pack`: a zip, or with `--single-file [SECTION]` one HTML file.
fn pack(
    site_dir: &Path,
    output: Option<PathBuf>,
    include_drafts: bool,
    single_file: Option<String>,
    force: bool,
) -> i32 {
    match single_file {
        Some(section) => {
            let options = pipeline::SingleFileOptions {
                section: (!section.is_empty()).then_some(section),
                include_drafts,
            };
            run_single_file(site_dir, &options, output.as_deref(), force)
        }
        None => {
            let options = PackOptions {
                output,
                include_drafts,
                force,
            };
            run_pack(site_dir, &options)
        }
    }
}

fn run_build(site_dir: &Path, options: &BuildOptions, quiet: bool, timings: bool) -> i32 {
    let started = Instant::now();
    let result = with_progress(!quiet, |progress| {
        pipeline::build(site_dir, options, progress)
    });
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings, site_dir);
            for note in &report.cache_notes {
                eprintln!("note: {note}");
            }
            if !quiet {
                println!(
                    "{}",
                    summary(&report, options.write, started.elapsed().as_secs_f64())
                );
            }
            if timings {
                print_timings(&report);
            }
            0
        }
        Err(failure) => {
            print_failure(&failure, site_dir);
            1
        }
    }
}

fn run_pack(site_dir: &Path, options: &PackOptions) -> i32 {
    match with_progress(true, |progress| pack::pack(site_dir, options, progress)) {
        Ok(report) => {
            print_diagnostics(&report.warnings, site_dir);
            println!(
                "Packed {} page{} into {} ({}).",
                report.pages,
                if report.pages == 1 { "" } else { "s" },
                report.path.display(),
                human_size(report.bytes)
            );
            0
        }
        Err(PackFailure::Build(failure)) => {
            print_failure(&failure, site_dir);
            1
        }
        Err(PackFailure::Pack(e)) => {
            eprintln!("error: {e:#}");
            eprintln!("No zip was written.");
            1
        }
    }
}

fn run_single_file(
    site_dir: &Path,
    options: &pipeline::SingleFileOptions,
    output: Option<&Path>,
    force: bool,
) -> i32 {
    let file = match with_progress(true, |progress| {
        pipeline::single_file(site_dir, options, progress)
    }) {
        Ok(file) => file,
        Err(failure) => {
            print_failure(&failure, site_dir);
            return 1;
        }
    };
    print_diagnostics(&file.warnings, site_dir);
    let site_id = crate::config::Config::load(site_dir)
        .map(|c| c.site_id)
        .unwrap_or_else(|_| "site".into());
    let name = match &options.section {
        Some(s) => format!("{site_id}-{}.html", crate::slug::slugify(s)),
        None => format!("{site_id}.html"),
    };
    let target = match output {
        None => PathBuf::from(name),
        Some(dir) if crate::fs::is_dir(dir) => dir.join(name),
        Some(path) => path.to_path_buf(),
    };
    let written = pack::check_target(site_dir, &target, pack::Edition::SingleFile, force)
        .and_then(|()| crate::fs::write_atomic(&target, &file.html));
    if let Err(e) = written {
        eprintln!("error: {e:#}");
        eprintln!("No file was written.");
        return 1;
    }
    println!(
        "Wrote {} page{} into {} ({}{}). It opens from disk or a chat attachment, no network needed.",
        file.pages,
        if file.pages == 1 { "" } else { "s" },
        target.display(),
        human_size(file.html.len() as u64),
        if file.image_bytes > 0 {
            format!(", of which {} images", human_size(file.image_bytes as u64))
        } else {
            String::new()
        }
    );
    0
}

/// Runs `work` with a progress line on stderr (when `show` and stderr is a
/// terminal), cleared at the end.
fn with_progress<T>(show: bool, work: impl FnOnce(&dyn Fn(&str, usize)) -> T) -> T {
    let show = show && std::io::stderr().is_terminal();
    let progress = |stage: &str, count: usize| {
        if show {
            let step = pipeline::STAGES
                .iter()
                .position(|s| *s == stage)
                .map(|i| format!("[{}/{}] ", i + 1, pipeline::STAGES.len()))
                .unwrap_or_default();
            let what = if count > 0 {
                format!(" {count} files")
            } else {
                String::new()
            };
            eprint!("\r\x1b[2K{step}{stage}{what}…");
            let _ = std::io::stderr().flush();
        }
    };
    let result = work(&progress);
    if show {
        eprint!("\r\x1b[2K");
    }
    result
}

/// A size as file managers show it, 1 KB being 1,000 bytes (as on phones
/// and macOS).
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..999_500 => format!("{:.0} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn summary(report: &BuildReport, wrote: bool, seconds: f64) -> String {
    let w = report.write;
    if wrote {
        format!(
            "Built {} and {} into {} in {seconds:.2} s: {} written, {} unchanged, {} removed.",
            count(report.pages, "page", "pages"),
            count(report.sections, "section", "sections"),
            report.output_dir.display(),
            count(w.written, "file", "files"),
            // Outputs the cache knew unchanged were not even compared.
            report.files.saturating_sub(w.written),
            w.removed
        )
    } else {
        format!(
            "Checked {} and {} in {seconds:.2} s: no errors{}.",
            count(report.pages, "page", "pages"),
            count(report.sections, "section", "sections"),
            if report.warnings.is_empty() {
                String::new()
            } else {
                format!(", {}", count(report.warnings.len(), "warning", "warnings"))
            }
        )
    }
}

fn print_timings(report: &BuildReport) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let total: f64 = report.timings.iter().map(|t| ms(t.wall)).sum();
    eprintln!("stage        wall (ms)   share   cpu (ms)   cpu/wall   peak (MiB)");
    for t in &report.timings {
        let share = if total > 0.0 {
            ms(t.wall) / total * 100.0
        } else {
            0.0
        };
        let (cpu, ratio) = match t.cpu {
            Some(cpu) if ms(t.wall) >= 1.0 => (
                format!("{:>8.0}", ms(cpu)),
                format!("{:>8.2}", ms(cpu) / ms(t.wall)),
            ),
            Some(cpu) => (format!("{:>8.0}", ms(cpu)), format!("{:>8}", "-")),
            None => (format!("{:>8}", "-"), format!("{:>8}", "-")),
        };
        let peak = t.peak.map_or_else(
            || format!("{:>10}", "-"),
            |b| format!("{:>10.0}", b as f64 / (1024.0 * 1024.0)),
        );
        eprintln!(
            "{:<12} {:>9.1}   {share:>4.1}%  {cpu}   {ratio}   {peak}",
            t.stage,
            ms(t.wall)
        );
    }
    eprintln!("{:<12} {total:>9.1}", "total");
}

/// Diagnostics as the terminal shows them, each with its source line read
/// from the site at `site_dir`.
fn print_diagnostics(diagnostics: &[Diagnostic], site_dir: &Path) {
    for d in diagnostics {
        eprint!("{}", d.render(site_dir));
    }
}

fn print_failure(failure: &BuildFailure, site_dir: &Path) {
    print_diagnostics(&failure.diagnostics, site_dir);
    if let Some(e) = &failure.error {
        eprintln!("error: {e:#}");
    }
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "Build failed with {}; nothing was written.",
            count(errors, "error", "errors")
        );
    } else {
        // An IO error: the writer published nothing (issue 13).
        eprintln!("Build failed; the previous output was left as it was.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(48_200), "48 KB");
        assert_eq!(human_size(999_600), "1.0 MB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
    }
}
