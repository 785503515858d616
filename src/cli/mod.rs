//! The command line: clap structs per subcommand; each handler builds an
//! options struct and calls the library ([`run`](mod@run)).
//!
//! The help text is not in this file: clap's derive gives the commands and
//! arguments, and [`help::command`] sets every `about` and help line from
//! the message catalogue (`src/messages/*/help.toml`), in the language of
//! `--lang`, `ZHIKU_LANG` or the locale.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::messages::{self, Lang};
use crate::tr;

mod help;
mod report;
mod run;

/// Exit codes, as `zhiku --help` documents them.
pub mod exit {
    /// Done.
    pub const OK: i32 = 0;
    /// The site has errors (or warnings, with `--strict`).
    pub const CONTENT: i32 = 1;
    /// The command line is wrong (clap's own code for it).
    pub const USAGE: i32 = 2;
    /// A file or folder could not be read or written.
    pub const IO: i32 = 3;

    /// [`CONTENT`] when zhiku refused (a folder in the way, a file it
    /// will not replace), else [`IO`].
    pub fn of_error(e: &anyhow::Error) -> i32 {
        if crate::diagnostics::is_refusal(e) {
            CONTENT
        } else {
            IO
        }
    }
}

#[derive(Debug, Parser)]
#[command(name = "zhiku", version)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
struct Global {
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<Lang>,
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: Color,
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init {
        dir: PathBuf,
    },
    New {
        kind: NewKind,
        path: String,
        #[arg(short, long)]
        title: Option<String>,
        #[arg(short, long, value_name = "SITE_DIR", default_value = ".")]
        site: PathBuf,
    },
    Build {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        timings: bool,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        no_cache: bool,
        #[command(flatten)]
        publish: Publish,
    },
    Serve {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        #[arg(short, long)]
        port: Option<u16>,
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        poll: bool,
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        #[arg(long)]
        no_cache: bool,
    },
    Watch {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        poll: bool,
        #[arg(long)]
        force: bool,
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        #[arg(long)]
        no_cache: bool,
    },
    Check {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        timings: bool,
        #[arg(long)]
        no_cache: bool,
        #[arg(long)]
        strict: bool,
    },
    Clean {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
    },
    Pack(PackArgs),
    Completions {
        shell: clap_complete::Shell,
    },
}

/// `zhiku pack`'s arguments.
#[derive(Debug, Args)]
struct PackArgs {
    #[arg(default_value = ".")]
    site_dir: PathBuf,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[arg(long)]
    drafts: bool,
    #[arg(long, value_name = "SECTION", num_args = 0..=1, default_missing_value = "")]
    single_file: Option<String>,
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    publish: Publish,
}

/// `--strict` and `--base-url`, for the commands that publish.
#[derive(Debug, Args)]
struct Publish {
    #[arg(long)]
    strict: bool,
    #[arg(long, value_name = "URL", value_parser = base_url)]
    base_url: Option<String>,
}

/// `--base-url`'s value, checked as the command line is read.
fn base_url(url: &str) -> Result<String, String> {
    match crate::config::normalise_base_url(url) {
        Ok(_) => Ok(url.to_string()),
        Err(_) => Err(messages::text("cli.base_url_invalid").to_string()),
    }
}

/// The kinds `zhiku new` starts.
#[derive(Debug, Clone, Copy)]
enum NewKind {
    Regulation,
    Checklist,
    Case,
    Quiz,
    Page,
}

impl ValueEnum for NewKind {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Self::Regulation,
            Self::Checklist,
            Self::Case,
            Self::Quiz,
            Self::Page,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Self::Regulation => ("regulation", tr!("help.value.regulation")),
            Self::Checklist => ("checklist", tr!("help.value.checklist")),
            Self::Case => ("case", tr!("help.value.case")),
            Self::Quiz => ("quiz", tr!("help.value.quiz")),
            Self::Page => ("page", tr!("help.value.page")),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

impl From<NewKind> for crate::content::Kind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Regulation => Self::Regulation,
            NewKind::Checklist => Self::Checklist,
            NewKind::Case => Self::Case,
            NewKind::Quiz => Self::Quiz,
            NewKind::Page => Self::Page,
        }
    }
}

impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Zh, Self::En]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Self::Zh => PossibleValue::new("zh").help(tr!("help.value.zh")),
            Self::En => PossibleValue::new("en").help(tr!("help.value.en")),
        })
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

impl ValueEnum for Color {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Auto, Self::Always, Self::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Self::Auto => PossibleValue::new("auto").help(tr!("help.value.auto")),
            Self::Always => PossibleValue::new("always").help(tr!("help.value.always")),
            Self::Never => PossibleValue::new("never").help(tr!("help.value.never")),
        })
    }
}

impl Color {
    /// Whether to colour what goes to stderr: `auto` colours a terminal
    /// unless `NO_COLOR` is set (no-color.org).
    fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    run_from(std::env::args_os().collect())
}

fn run_from(args: Vec<OsString>) -> i32 {
    // Before clap parses: its help text is in this language.
    messages::set_lang(Lang::resolve(
        help::early_value(&args, "--lang").and_then(|v| Lang::from_str(&v, true).ok()),
    ));
    let early_color =
        help::early_value(&args, "--color").and_then(|v| Color::from_str(&v, true).ok());
    let color = early_color.unwrap_or(Color::Auto).enabled();
    crate::term::set_color(color);
    let matches = match help::command(color).try_get_matches_from(help::rewrite(args)) {
        Ok(matches) => matches,
        Err(e) => return help::report(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return help::report(&e),
    };
    crate::term::set_color(cli.global.color.enabled());
    let verbosity = match (cli.global.quiet, cli.global.verbose) {
        (true, _) => report::Verbosity::Quiet,
        (_, true) => report::Verbosity::Verbose,
        _ => report::Verbosity::Normal,
    };
    run::execute(cli.command, verbosity)
}

#[cfg(test)]
mod tests;
