//! The command line: clap structs per subcommand; each handler builds an
//! options struct and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::diagnostics::Diagnostic;
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
    /// Build the site into its output folder (default `public/`).
    ///
    /// Writes only files whose bytes changed and removes files of the
    /// previous build that are no longer produced. If any error is found,
    /// nothing is written and the previous output stays as it was.
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
    },
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
        Command::Init { dir } => {
            let created = crate::init::init(&dir)?;
            println!(
                "Created a new site in {} ({} files).",
                dir.display(),
                created.len()
            );
            println!("Next: cd {} && zhiku build", dir.display());
            Ok(0)
        }
        Command::Build {
            site_dir,
            output,
            drafts,
            quiet,
            timings,
        } => {
            let options = BuildOptions {
                defer_search: false,
                changed: None,
                output_dir: output,
                include_drafts: drafts,
                write: true,
            };
            Ok(run_build(&site_dir, &options, quiet, timings))
        }
        Command::Check {
            site_dir,
            drafts,
            timings,
        } => {
            let options = BuildOptions {
                defer_search: false,
                changed: None,
                output_dir: None,
                include_drafts: drafts,
                write: false,
            };
            Ok(run_build(&site_dir, &options, false, timings))
        }
    }
}

fn run_build(
    site_dir: &std::path::Path,
    options: &BuildOptions,
    quiet: bool,
    timings: bool,
) -> i32 {
    let started = Instant::now();
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let progress = |stage: &str, count: usize| {
        if show_progress {
            let n = pipeline::STAGES
                .iter()
                .position(|s| *s == stage)
                .map_or(0, |i| i + 1);
            let what = if count > 0 {
                format!(" {count} files")
            } else {
                String::new()
            };
            eprint!("\r\x1b[2K[{n}/{}] {stage}{what}…", pipeline::STAGES.len());
            let _ = std::io::stderr().flush();
        }
    };
    let result = pipeline::build(site_dir, options, &progress);
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings);
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
            print_failure(&failure);
            1
        }
    }
}

fn summary(report: &BuildReport, wrote: bool, seconds: f64) -> String {
    let w = report.write;
    if wrote {
        format!(
            "Built {} pages and {} sections into {} in {seconds:.2} s: {} files written, {} unchanged, {} removed.",
            report.pages,
            report.sections,
            report.output_dir.display(),
            w.written,
            w.unchanged,
            w.removed
        )
    } else {
        format!(
            "Checked {} pages and {} sections in {seconds:.2} s: no errors{}.",
            report.pages,
            report.sections,
            if report.warnings.is_empty() {
                String::new()
            } else {
                format!(", {} warnings", report.warnings.len())
            }
        )
    }
}

fn print_timings(report: &BuildReport) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let total: f64 = report.timings.iter().map(|t| ms(t.wall)).sum();
    eprintln!("stage        wall (ms)   share   cpu (ms)   cpu/wall");
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
        eprintln!(
            "{:<12} {:>9.1}   {share:>4.1}%  {cpu}   {ratio}",
            t.stage,
            ms(t.wall)
        );
    }
    eprintln!("{:<12} {total:>9.1}", "total");
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn print_failure(failure: &BuildFailure) {
    print_diagnostics(&failure.diagnostics);
    if let Some(e) = &failure.error {
        eprintln!("error: {e:#}");
    }
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "Build failed with {errors} error{}; nothing was written.",
            if errors == 1 { "" } else { "s" }
        );
    } else {
        eprintln!("Build failed.");
    }
}
