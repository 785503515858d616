//! What the building commands print: progress, the summary line,
//! diagnostics with their source lines, and failures, each with its exit
//! code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::exit;
use crate::diagnostics::Diagnostic;
use crate::messages;
use crate::pack;
use crate::pipeline::{self, BuildFailure, BuildOptions, BuildReport};
use crate::term;
use crate::tr;

/// How much to print: `-q`, the default, or `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verbosity {
    /// Only errors and warnings.
    Quiet,
    /// Progress on a terminal, and the summary.
    Normal,
    /// Each stage on a line of its own, terminal or not.
    Verbose,
}

/// `zhiku build` and `zhiku check`.
pub(super) fn build(
    site_dir: &Path,
    options: &BuildOptions,
    verbosity: Verbosity,
    timings: bool,
) -> i32 {
    let started = Instant::now();
    let result = with_progress(verbosity, |progress| {
        pipeline::build(site_dir, options, progress)
    });
    match result {
        Ok(report) => {
            diagnostics(&report.warnings, site_dir);
            if verbosity != Verbosity::Quiet {
                for note in &report.cache_notes {
                    eprintln!("{}", term::note(note));
                }
            }
            if verbosity != Verbosity::Quiet {
                println!(
                    "{}",
                    summary(&report, options.write, started.elapsed().as_secs_f64())
                );
            }
            if timings {
                print_timings(&report);
            }
            exit::OK
        }
        Err(failure) => report_failure(&failure, site_dir, options.strict, options.write),
    }
}

/// `zhiku pack --single-file [SECTION]`.
pub(super) fn single_file(
    site_dir: &Path,
    options: &pipeline::SingleFileOptions,
    output: Option<&Path>,
    force: bool,
    verbosity: Verbosity,
) -> i32 {
    let file = match with_progress(verbosity, |progress| {
        pipeline::single_file(site_dir, options, progress)
    }) {
        Ok(file) => file,
        Err(failure) => return self::failure(&failure, site_dir, options.strict),
    };
    diagnostics(&file.warnings, site_dir);
    let site_id = crate::config::Config::load(site_dir)
        .map(|c| c.site_id)
        .unwrap_or_else(|_| "site".into());
    let name = match &options.section {
        Some(s) => format!("{site_id}-{}.html", crate::slug::slugify(s)),
        None => format!("{site_id}.html"),
    };
    let target = match output {
        None => PathBuf::from(name),
        Some(dir) if pack::names_a_folder(dir) => dir.join(name),
        Some(path) => path.to_path_buf(),
    };
    let written = pack::check_target(site_dir, &target, pack::Edition::SingleFile, force)
        .and_then(|()| crate::fs::write_atomic(&target, &file.html));
    if let Err(e) = written {
        eprintln!("{}", term::error(&format!("{e:#}")));
        eprintln!("{}", tr!("cli.no_file_written"));
        return exit::of_error(&e);
    }
    if verbosity != Verbosity::Quiet {
        let pages = messages::count(file.pages, "cli.page");
        let (path, size) = (target.display(), human_size(file.html.len() as u64));
        println!(
            "{}",
            if file.image_bytes > 0 {
                let images = human_size(file.image_bytes as u64);
                tr!(
                    "cli.single_written_images",
                    pages = pages,
                    path = path,
                    size = size,
                    images = images
                )
            } else {
                tr!(
                    "cli.single_written",
                    pages = pages,
                    path = path,
                    size = size
                )
            }
        );
    }
    exit::OK
}

/// Runs `work` with a progress line on stderr, cleared at the end: on a
/// terminal unless `-q`; with `-v`, each stage on a line of its own.
pub(super) fn with_progress<T>(
    verbosity: Verbosity,
    work: impl FnOnce(&dyn Fn(&str, usize)) -> T,
) -> T {
    let verbose = verbosity == Verbosity::Verbose;
    let show = verbose || verbosity == Verbosity::Normal && std::io::stderr().is_terminal();
    let progress = |stage: &str, count: usize| {
        if !show {
            return;
        }
        let step = pipeline::STAGES
            .iter()
            .position(|s| *s == stage)
            .map(|i| format!("[{}/{}] ", i + 1, pipeline::STAGES.len()))
            .unwrap_or_default();
        let what = if count > 0 {
            format!(" {}", tr!("cli.progress_files", n = count))
        } else {
            String::new()
        };
        let name = stage_name(stage);
        if verbose {
            eprintln!("{step}{name}{what}…");
        } else {
            eprint!("\r\x1b[2K{step}{name}{what}…");
            let _ = std::io::stderr().flush();
        }
    };
    let result = work(&progress);
    if show && !verbose {
        eprint!("\r\x1b[2K");
    }
    result
}

/// A stage's name as the user reads it.
fn stage_name(stage: &str) -> String {
    match stage {
        "discover" => tr!("cli.stage.discover"),
        "parse" => tr!("cli.stage.parse"),
        "markdown" => tr!("cli.stage.markdown"),
        "graph" => tr!("cli.stage.graph"),
        "templates" => tr!("cli.stage.templates"),
        "search" => tr!("cli.stage.search"),
        "render" => tr!("cli.stage.render"),
        "assets" => tr!("cli.stage.assets"),
        "write" => tr!("cli.stage.write"),
        other => other.to_string(),
    }
}

/// A size as file managers show it, 1 KB being 1,000 bytes (as on phones
/// and macOS).
pub(super) fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => tr!("cli.bytes", n = bytes),
        1_000..999_500 => format!("{:.0} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn summary(report: &BuildReport, wrote: bool, seconds: f64) -> String {
    let pages = messages::count(report.pages, "cli.page");
    let sections = messages::count(report.sections, "cli.section");
    let seconds = format!("{seconds:.2}");
    if wrote {
        let w = report.write;
        tr!(
            "cli.built",
            pages = pages,
            sections = sections,
            dir = report.output_dir.display(),
            seconds = seconds,
            written = messages::count(w.written, "cli.file"),
            // Outputs the cache knew unchanged were not even compared.
            unchanged = report.files.saturating_sub(w.written),
            removed = w.removed
        )
    } else if report.warnings.is_empty() {
        tr!(
            "cli.checked",
            pages = pages,
            sections = sections,
            seconds = seconds
        )
    } else {
        let warnings = messages::count(report.warnings.len(), "cli.warning_count");
        tr!(
            "cli.checked_warnings",
            pages = pages,
            sections = sections,
            seconds = seconds,
            warnings = warnings
        )
    }
}

fn print_timings(report: &BuildReport) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let total: f64 = report.timings.iter().map(|t| ms(t.wall)).sum();
    eprintln!("{}", tr!("cli.timings_header"));
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
    eprintln!("{:<12} {total:>9.1}", tr!("cli.timings_total"));
}

/// Diagnostics as the terminal shows them, each with its source line read
/// from the site at `site_dir`.
pub(super) fn diagnostics(diagnostics: &[Diagnostic], site_dir: &Path) {
    for d in diagnostics {
        eprint!("{}", d.render(site_dir));
    }
}

/// Prints why a build or pack failed; see [`report_failure`].
pub(super) fn failure(failure: &BuildFailure, site_dir: &Path, strict: bool) -> i32 {
    report_failure(failure, site_dir, strict, true)
}

/// Prints why the build (`wrote`) or check failed; returns the exit code:
/// [`exit::CONTENT`] for faults in the site, [`exit::IO`] when a file
/// could not be read or written. A check writes nothing, so it does not
/// say that nothing was written.
fn report_failure(failure: &BuildFailure, site_dir: &Path, strict: bool, wrote: bool) -> i32 {
    diagnostics(&failure.diagnostics, site_dir);
    if let Some(e) = &failure.error {
        eprintln!("{}", term::error(&format!("{e:#}")));
        if !wrote {
            return exit::IO;
        }
    }
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = failure.diagnostics.len() - errors;
    if errors > 0 {
        let errors = messages::count(errors, "cli.error_count");
        let summary = if wrote {
            tr!("cli.build_failed", errors = errors)
        } else {
            tr!("cli.check_failed", errors = errors)
        };
        eprintln!("{summary}");
        exit::CONTENT
    } else if strict && warnings > 0 && failure.error.is_none() {
        let warnings = messages::count(warnings, "cli.warning_count");
        let summary = if wrote {
            tr!("cli.strict_failed", warnings = warnings)
        } else {
            tr!("cli.check_strict_failed", warnings = warnings)
        };
        eprintln!("{summary}");
        exit::CONTENT
    } else if wrote {
        // An IO error: the writer published nothing (issue 13).
        eprintln!("{}", tr!("cli.build_failed_io"));
        exit::IO
    } else {
        exit::CONTENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        messages::set_lang(messages::Lang::En);
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(48_200), "48 KB");
        assert_eq!(human_size(999_600), "1.0 MB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
    }
}
