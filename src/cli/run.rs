//! What each command does: builds the library's options from the command
//! line, calls it, and reports the outcome with an exit code.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::report::{self, Verbosity};
use super::{Command, NewKind, PackArgs, exit};
use crate::messages;
use crate::pack::{self, PackFailure, PackOptions};
use crate::pipeline::{self, BuildOptions};
use crate::term;
use crate::tr;

/// Runs `command`; returns the exit code.
pub(super) fn execute(command: Command, verbosity: Verbosity) -> i32 {
    match dispatch(command, verbosity) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", term::error(&format!("{e:#}")));
            exit::of_error(&e)
        }
    }
}

fn dispatch(command: Command, verbosity: Verbosity) -> Result<i32> {
    match command {
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
            timings,
            force,
            no_cache,
            publish,
        } => {
            let options = BuildOptions {
                output_dir: output,
                include_drafts: drafts,
                write: true,
                force,
                base_url: publish.base_url,
                strict: publish.strict,
                ..build_options(&site_dir, no_cache)
            };
            Ok(report::build(&site_dir, &options, verbosity, timings))
        }
        Command::Serve {
            site_dir,
            port,
            bind,
            open,
            drafts,
            poll,
            base_url,
            no_cache,
        } => {
            let options =
                preview_options(site_dir, drafts, poll, false, no_cache, base_url, verbosity);
            crate::preview::serve(&options, bind, port, open)?;
            Ok(exit::OK)
        }
        Command::Watch {
            site_dir,
            output,
            drafts,
            poll,
            force,
            base_url,
            no_cache,
        } => {
            let options =
                preview_options(site_dir, drafts, poll, force, no_cache, base_url, verbosity);
            crate::preview::watch(&options, output)?;
            Ok(exit::OK)
        }
        Command::Check {
            site_dir,
            drafts,
            timings,
            no_cache,
            strict,
        } => {
            let options = BuildOptions {
                include_drafts: drafts,
                strict,
                ..build_options(&site_dir, no_cache)
            };
            Ok(report::build(&site_dir, &options, verbosity, timings))
        }
        Command::Clean { site_dir } => Ok(clean(&site_dir)?),
        Command::Pack(args) => Ok(pack(args, verbosity)),
        Command::Completions { shell } => Ok(completions(shell)),
    }
}

/// `zhiku completions SHELL`: the shell's completion script on stdout.
fn completions(shell: clap_complete::Shell) -> i32 {
    let mut cmd = super::help::command(false);
    clap_complete::generate(shell, &mut cmd, "zhiku", &mut std::io::stdout());
    exit::OK
}

/// Options for a build that uses the site's build cache, unless
/// `--no-cache`.
fn build_options(site_dir: &Path, no_cache: bool) -> BuildOptions {
    BuildOptions {
        cache_dir: (!no_cache).then(|| site_dir.join(crate::disk_cache::DIR)),
        ..BuildOptions::default()
    }
}

fn clean(site_dir: &Path) -> Result<i32> {
    if !site_dir.join(crate::config::CONFIG_FILE).is_file() {
        let message = tr!(
            "cli.not_a_site",
            dir = site_dir.display(),
            file = crate::config::CONFIG_FILE
        );
        eprintln!("{}", term::error(&message));
        return Ok(exit::USAGE);
    }
    match crate::disk_cache::clean(site_dir)? {
        Some(bytes) => println!(
            "{}",
            tr!(
                "cli.removed_cache",
                path = site_dir.join(crate::disk_cache::DIR).display(),
                size = report::human_size(bytes)
            )
        ),
        None => println!("{}", tr!("cli.no_cache_to_remove")),
    }
    Ok(exit::OK)
}

fn init(dir: &Path) -> Result<i32> {
    let created = crate::init::init(dir)?;
    println!(
        "{}",
        tr!(
            "cli.init_created",
            dir = dir.display(),
            files = messages::count(created.len(), "cli.file")
        )
    );
    // The hint must work when pasted, zhiku on the PATH or not (issue 17).
    println!(
        "{}",
        tr!(
            "cli.next_build",
            dir = crate::invocation::quote(&dir.display().to_string()),
            program = crate::invocation::program()
        )
    );
    Ok(exit::OK)
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
            report::diagnostics(&[d], site_dir);
            eprintln!("{}", tr!("cli.nothing_written"));
            return exit::CONTENT;
        }
        Err(NewFailure::Io(e)) => {
            eprintln!("{}", term::error(&format!("{e:#}")));
            return exit::of_error(&e);
        }
    };
    let in_site = |file: &str| {
        if site_dir == Path::new(".") {
            file.to_string()
        } else {
            site_dir.join(file).display().to_string()
        }
    };
    let kind = match kind {
        NewKind::Regulation => tr!("cli.kind.regulation"),
        NewKind::Checklist => tr!("cli.kind.checklist"),
        NewKind::Case => tr!("cli.kind.case"),
        NewKind::Quiz => tr!("cli.kind.quiz"),
        NewKind::Page => tr!("cli.kind.page"),
    };
    let file = in_site(&created.file);
    let title = &created.title;
    println!(
        "{}",
        match &created.archetype {
            Some(a) => tr!(
                "cli.new_created_from",
                file = file,
                kind = kind,
                title = title,
                archetype = a
            ),
            None => tr!("cli.new_created", file = file, kind = kind, title = title),
        }
    );
    if created.title_from_name {
        println!("{}", tr!("cli.new_title_from_name"));
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
    println!("{}", tr!("cli.new_next", program = program, site = site));
    exit::OK
}

fn preview_options(
    site_dir: PathBuf,
    include_drafts: bool,
    poll: bool,
    force: bool,
    no_cache: bool,
    base_url: Option<String>,
    verbosity: Verbosity,
) -> crate::preview::PreviewOptions {
    crate::preview::PreviewOptions {
        site_dir,
        include_drafts,
        poll,
        force,
        base_url,
        quiet: verbosity == Verbosity::Quiet,
        use_cache: !no_cache,
    }
}

/// `zhiku pack`: a zip, or with `--single-file [SECTION]` one HTML file.
fn pack(args: PackArgs, verbosity: Verbosity) -> i32 {
    let PackArgs {
        site_dir,
        output,
        drafts: include_drafts,
        single_file,
        force,
        publish,
    } = args;
    let site_dir = site_dir.as_path();
    match single_file {
        Some(section) => {
            let options = pipeline::SingleFileOptions {
                section: (!section.is_empty()).then_some(section),
                include_drafts,
                base_url: publish.base_url,
                strict: publish.strict,
            };
            report::single_file(site_dir, &options, output.as_deref(), force, verbosity)
        }
        None => {
            let options = PackOptions {
                output,
                include_drafts,
                force,
                base_url: publish.base_url,
                strict: publish.strict,
            };
            run_pack(site_dir, &options, verbosity)
        }
    }
}

fn run_pack(site_dir: &Path, options: &PackOptions, verbosity: Verbosity) -> i32 {
    let result = report::with_progress(verbosity, |progress| {
        pack::pack(site_dir, options, progress)
    });
    match result {
        Ok(report) => {
            report::diagnostics(&report.warnings, site_dir);
            if verbosity != Verbosity::Quiet {
                println!(
                    "{}",
                    tr!(
                        "cli.packed",
                        pages = messages::count(report.pages, "cli.page"),
                        path = report.path.display(),
                        size = report::human_size(report.bytes)
                    )
                );
            }
            exit::OK
        }
        Err(PackFailure::Build(failure)) => report::failure(&failure, site_dir, options.strict),
        Err(PackFailure::Pack(e)) => {
            eprintln!("{}", term::error(&format!("{e:#}")));
            eprintln!("{}", tr!("cli.no_zip_written"));
            exit::of_error(&e)
        }
    }
}
