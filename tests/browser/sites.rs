//! The sites the browser tests open, built once per run into a temporary
//! folder.

use std::path::{Path, PathBuf};

use zhiku::pipeline::{BuildOptions, build};

pub struct Sites {
    _dir: tempfile::TempDir,
    /// The repository's sample site, built.
    pub sample: PathBuf,
}

impl Sites {
    pub fn build() -> Sites {
        let dir = tempfile::tempdir().unwrap();
        let sample = dir.path().join("sample");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        build_site(root, &sample);
        Sites { _dir: dir, sample }
    }
}

pub fn build_site(root: &Path, out: &Path) {
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.to_path_buf()),
        ..BuildOptions::default()
    };
    if let Err(f) = build(root, &options, &|_, _| {}) {
        panic!(
            "building {} failed: {:#?} {:?}",
            root.display(),
            f.diagnostics,
            f.error
        );
    }
}

/// The `file://` URL of a file in a built site.
pub fn file_url(out: &Path, rel: &str) -> String {
    format!("file://{}/{rel}", out.display())
}

/// `Ok` when `cond` holds, else the message: the tests' assertion.
pub fn ensure(cond: bool, msg: impl FnOnce() -> String) -> crate::cdp::Result<()> {
    if cond { Ok(()) } else { Err(msg()) }
}

/// axe-core, vendored as a test asset.
pub fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/vendor/axe.min.js");
    std::fs::read_to_string(path).expect("vendored axe.min.js")
}

/// Writes a small site (`files`: path and contents, site.toml included)
/// into a temporary folder and builds it; returns the folder (keep it
/// alive) and the output.
pub fn small_site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for (rel, text) in files {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = dir.path().join("out");
    build_site(&site, &out);
    (dir, out)
}

/// Waits until the JavaScript expression `expr` is truthy in `page` (an
/// exception counts as false), or fails naming `what` after `within`.
pub fn wait_until(
    page: &mut crate::cdp::Page<'_>,
    expr: &str,
    what: &str,
    within: std::time::Duration,
) -> crate::cdp::Result<()> {
    let deadline = std::time::Instant::now() + within;
    let check =
        format!("(() => {{ try {{ return !!({expr}); }} catch (e) {{ return false; }} }})()");
    loop {
        if let Ok(serde_json::Value::Bool(true)) = page.eval(&check) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("timed out waiting for {what} (`{expr}`)"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
