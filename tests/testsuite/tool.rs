//! What a test needs from the machine beyond zhiku (a program such as
//! `unzip`, or the right to mount a tmpfs). A test fails when that is
//! missing, so that CI cannot pass by not testing; on a machine that lacks
//! it, `ZHIKU_ALLOW_SKIP=1` turns the failure into a skip. Every skip is
//! printed where `cargo test` shows it.

use std::io::Write;
use std::process::Command;

/// Whether `program probe` (a harmless argument such as `--version`) runs.
/// When it does not, see [`missing`]; `install` says how to get it.
#[track_caller]
pub fn require(program: &str, probe: &str, install: &str) -> bool {
    let why = match Command::new(program).arg(probe).output() {
        Ok(out) if out.status.success() => return true,
        Ok(out) => format!(
            "`{program} {probe}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("`{program}` cannot run ({e}); {install}"),
    };
    missing(&why);
    false
}

/// The running test cannot do its work, for the reason `why`: a failure
/// that says so, or with `ZHIKU_ALLOW_SKIP=1` a printed skip (the caller
/// then returns).
#[track_caller]
pub fn missing(why: &str) {
    if std::env::var("ZHIKU_ALLOW_SKIP").is_ok_and(|v| v == "1") {
        skip(why);
    } else {
        panic!("{why}\n(set ZHIKU_ALLOW_SKIP=1 to skip the tests that need it on this machine)");
    }
}

/// Prints that the running test skipped its work and why. Written to the
/// stderr handle itself: the harness captures `eprintln!` and shows it only
/// for a failed test, which a skip is not.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
