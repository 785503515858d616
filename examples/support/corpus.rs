//! Shared by the benchmark examples: builds the release binaries and
//! generates (once) the zhiku flavour of the corpus.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `zhiku` and `gen_corpus` in release mode; returns target/release.
pub(crate) fn build_binaries() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let ok = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--bin",
            "zhiku",
            "--example",
            "gen_corpus",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "cargo build failed");
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release")
}

/// The zhiku flavour of the generated corpus under `work`, generated on
/// first use (`.complete` marks a finished one).
pub(crate) fn zhiku_corpus(target: &Path, work: &Path, pages: usize, seed: u64) -> PathBuf {
    let corpus = work.join(format!("search-corpus-{pages}-seed{seed}"));
    if !corpus.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&corpus);
        let status = Command::new(target.join("examples/gen_corpus"))
            .args([
                "--pages",
                &pages.to_string(),
                "--seed",
                &seed.to_string(),
                "--flavour",
                "zhiku",
                "--out",
            ])
            .arg(&corpus)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("gen_corpus");
        assert!(status.success());
        std::fs::write(corpus.join(".complete"), "").unwrap();
    }
    corpus
}
