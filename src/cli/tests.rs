use std::ffi::OsString;

use super::help;

fn args(line: &str) -> Vec<OsString> {
    line.split(' ').map(OsString::from).collect()
}

#[test]
fn the_command_tree_passes_clap_s_own_checks() {
    // clap's own checks: no two arguments with one name, every conflict
    // names an argument that exists, and so on.
    help::command(false).debug_assert();
}

#[test]
fn the_language_is_read_before_clap_parses() {
    assert_eq!(
        help::early_value(&args("zhiku --lang zh build"), "--lang").as_deref(),
        Some("zh")
    );
    assert_eq!(
        help::early_value(&args("zhiku build --lang=en"), "--lang").as_deref(),
        Some("en")
    );
    assert_eq!(
        help::early_value(&args("zhiku build -- --lang zh"), "--lang"),
        None
    );
    assert_eq!(help::early_value(&args("zhiku build"), "--color"), None);
}

#[test]
fn help_as_a_command_asks_the_command_for_its_help() {
    assert_eq!(
        help::rewrite(args("zhiku help build")),
        args("zhiku build --help")
    );
    assert_eq!(
        help::rewrite(args("zhiku --lang zh help")),
        args("zhiku --lang zh --help")
    );
    assert_eq!(
        help::rewrite(args("zhiku -q help pack")),
        args("zhiku -q pack --help")
    );
    // A site folder called "help" is not the help command.
    assert_eq!(
        help::rewrite(args("zhiku build help")),
        args("zhiku build help")
    );
}
