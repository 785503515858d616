//! `SiteTest`: a site in a temporary folder, built through the library or
//! the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zhiku::diagnostics::Diagnostic;
use zhiku::pipeline::{BuildFailure, BuildOptions, BuildReport, build};

pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let site = Self::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&src, &site.root);
        site
    }

    /// A minimal valid site: site.toml and a home page.
    pub fn minimal() -> Self {
        Self::empty()
            .file("site.toml", "title = \"测试\"\n")
            .file("content/_index.md", "---\ntitle: 首页\n---\n\n你好。\n")
    }

    fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Self { _dir: dir, root }
    }

    /// Writes (or overwrites) a file of the site.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        self.change_file(rel, contents);
        self
    }

    pub fn change_file(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn remove_file(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    pub fn build(&self) -> Result<BuildReport, BuildFailure> {
        build(
            &self.root,
            &BuildOptions {
                write: true,
                ..BuildOptions::default()
            },
            &|_, _| {},
        )
    }

    pub fn build_into(&self, out: &Path) -> Result<BuildReport, BuildFailure> {
        let options = BuildOptions {
            write: true,
            output_dir: Some(out.to_path_buf()),
            ..BuildOptions::default()
        };
        build(&self.root, &options, &|_, _| {})
    }

    /// Builds and expects failure; returns the errors.
    pub fn expect_errors(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("expected the build to fail"),
            Err(f) => {
                assert!(f.error.is_none(), "unexpected IO error: {:?}", f.error);
                f.diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect()
            }
        }
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn check_file(&self, rel: &str, check: impl FnOnce(&str)) {
        check(&self.read(rel));
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }

    /// Runs the `zhiku` binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        zhiku().args(args).current_dir(&self.root).output().unwrap()
    }

    /// [`SiteTest::run`], killed if it has not ended within `limit`
    /// (`None` then): for faults that used to make zhiku run forever.
    pub fn run_within(&self, args: &[&str], limit: std::time::Duration) -> Option<Output> {
        let mut child = zhiku()
            .args(args)
            .current_dir(&self.root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + limit;
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Some(child.wait_with_output().unwrap())
    }
}

/// The zhiku binary, speaking English whatever the machine's locale (the
/// tests read its messages; `cli.rs` tests the Chinese ones explicitly).
pub fn zhiku() -> Command {
    zhiku_at(Path::new(env!("CARGO_BIN_EXE_zhiku")))
}

/// [`zhiku`] run from another path (a copy, a link).
pub fn zhiku_at(exe: &Path) -> Command {
    let mut command = Command::new(exe);
    command.env("ZHIKU_LANG", "en").env_remove("NO_COLOR");
    command
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).unwrap()));
        }
    }
}

/// Modification times of every file under `dir`, to prove nothing was
/// rewritten.
pub fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut out: Vec<_> = snapshot(dir)
        .into_iter()
        .map(|(rel, _)| {
            let p = dir.join(&rel);
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, t)
        })
        .collect();
    out.sort();
    out
}
