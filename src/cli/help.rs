//! The command tree clap parses with, its help text set from the message
//! catalogue, and clap's own errors in the user's language.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::exit;
use crate::messages;
use crate::tr;

/// The command line's tree, every `about` and help line in the current
/// language.
pub(super) fn command(color: bool) -> Command {
    let color = if color {
        clap::ColorChoice::Always
    } else {
        clap::ColorChoice::Never
    };
    let mut cmd = localise(super::Cli::command(), "help").color(color);
    cmd = cmd
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(messages::text("help.version").to_string())
                .help_heading(messages::text("help.options")),
        )
        .disable_help_subcommand(true);
    cmd
}

/// `cmd` with its help text from the catalogue under `key` (`help`, or
/// `help.build` for a subcommand), and so its subcommands'.
fn localise(mut cmd: Command, key: &str) -> Command {
    let text = |name: &str| messages::text(&format!("{key}.{name}")).to_string();
    let about = text("about");
    let long = format!("{key}.long_about");
    let long_about = messages::text(&long);
    cmd = cmd
        .about(about)
        .long_about((long_about != long).then_some(long_about))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            messages::text("help.usage")
        ))
        .subcommand_help_heading(messages::text("help.commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(messages::text("help.help").to_string())
                .help_heading(messages::text("help.options")),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        // Global options are described once, at the top.
        let described = if key == "help" || !is_global(&id) {
            format!("{key}.{id}")
        } else {
            continue;
        };
        cmd = cmd.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                "help.arguments"
            } else {
                "help.options"
            };
            let arg = match id.as_str() {
                "help" => arg,
                _ => arg.help(messages::text(&described).to_string()),
            };
            // clap writes "Possible values" and "[default: …]" in
            // English; the Chinese help lines name them themselves.
            let arg = if messages::lang() == messages::Lang::Zh && arg.get_action().takes_values() {
                arg.hide_possible_values(true).hide_default_value(true)
            } else {
                arg
            };
            // Each command's own options first, the shared ones after.
            let arg = if is_global(&id) && id != "help" {
                arg.display_order(100)
            } else {
                arg
            };
            arg.help_heading(messages::text(heading))
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let sub_key = format!("{key}.{name}");
        cmd = cmd.mut_subcommand(&name, |sub| localise(sub, &sub_key));
    }
    cmd
}

fn is_global(id: &str) -> bool {
    matches!(id, "lang" | "color" | "quiet" | "verbose" | "help")
}

/// The value of `--name VALUE` or `--name=VALUE` in `args`, read before
/// clap parses them (the help text depends on `--lang`).
pub(super) fn early_value(args: &[OsString], name: &str) -> Option<String> {
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if arg == name {
            return iter.next().map(|v| v.into_owned());
        }
        if let Some(value) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// `zhiku help [COMMAND]` as `zhiku [COMMAND] --help`: clap's own `help`
/// subcommand would describe itself in English.
pub(super) fn rewrite(mut args: Vec<OsString>) -> Vec<OsString> {
    let mut i = 1;
    while let Some(arg) = args.get(i).map(|a| a.to_string_lossy()) {
        match arg.as_ref() {
            "--lang" | "--color" => i += 2,
            _ if arg.starts_with('-') => i += 1,
            "help" => {
                args.remove(i);
                args.push("--help".into());
                break;
            }
            _ => break,
        }
    }
    args
}

/// Prints clap's error (or the help or version it was asked for) and
/// returns the exit code: 0 for help, [`exit::USAGE`] for a wrong command
/// line. In Chinese, the commonest mistakes are explained in Chinese.
pub(super) fn report(e: &clap::Error) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                exit::USAGE
            } else {
                exit::OK
            };
        }
        _ => {}
    }
    match translated(e) {
        Some(message) => {
            eprintln!("{}", crate::term::error(&message));
            eprintln!("{}", messages::text("cli.usage_more"));
        }
        None => {
            let _ = e.print();
        }
    }
    exit::USAGE
}

/// The error in the catalogue's words, when it is one of the kinds a user
/// meets; `None` leaves clap's own text.
fn translated(e: &clap::Error) -> Option<String> {
    let value = |kind: ContextKind| match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        _ => None,
    };
    let arg = || value(ContextKind::InvalidArg).unwrap_or_default();
    let mut message = match e.kind() {
        ErrorKind::UnknownArgument => tr!("cli.clap.unknown_argument", arg = arg()),
        ErrorKind::InvalidSubcommand => tr!(
            "cli.clap.unknown_command",
            command = value(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue => tr!(
            "cli.clap.invalid_value",
            value = value(ContextKind::InvalidValue).unwrap_or_default(),
            arg = arg()
        ),
        ErrorKind::MissingRequiredArgument => tr!("cli.clap.missing", arg = arg()),
        ErrorKind::MissingSubcommand => tr!(
            "cli.clap.missing_command",
            commands = value(ContextKind::ValidSubcommand).unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => tr!(
            "cli.clap.conflict",
            arg = arg(),
            other = value(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::ValueValidation => tr!(
            "cli.clap.invalid_value_because",
            value = value(ContextKind::InvalidValue).unwrap_or_default(),
            arg = arg(),
            reason = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default()
        ),
        _ => return None,
    };
    if let Some(valid) = value(ContextKind::ValidValue) {
        message.push_str(&tr!("cli.clap.valid_values", values = valid));
    }
    let suggested = value(ContextKind::SuggestedArg).or(value(ContextKind::SuggestedSubcommand));
    if let Some(suggestion) = suggested {
        message.push_str(&tr!("cli.clap.did_you_mean", suggestion = suggestion));
    }
    Some(message)
}
