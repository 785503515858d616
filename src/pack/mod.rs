//! `zhiku pack`: the built site as one zip that members can carry, unpack
//! and open from disk.
//!
//! 1. Load `site.toml`, for the default name `SITE_ID.zip`.
//! 2. Build with the normal pipeline into a temporary folder of this
//!    process, so the site's own `public/` stays exactly as it was; the
//!    folder is removed afterwards, whether the build succeeded or not. A
//!    build that fails stops here: no zip is written.
//! 3. List the output, sorted by path, without zhiku's manifest.
//! 4. Read and compress it in parallel batches, append the entries in order
//!    to a temporary file beside the target ([`zip`]), and rename that into
//!    place only once the archive is complete.
//!
//! The entries sit at the top of the zip (`index.html`, `assets/…`), not
//! under a folder named after the site. Windows' "Extract all", macOS's
//! Archive Utility and phone file managers such as Files by Google extract
//! into a new folder named after the zip; with top-level entries the member
//! finds `index.html` right inside it, where an inner folder would show
//! them a second folder of the same name first (`site\site\index.html`).
//! The price is that a tool told to extract "here" (a bare `unzip` in a
//! shell) spreads the files into the current folder; the README says to
//! extract into a folder of its own.

pub mod zip;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, BuildFailure, BuildOptions};
use crate::tr;

/// How many files are read and compressed at once: enough for every core,
/// few enough that a large site never sits in memory whole.
const BATCH: usize = 256;

/// What to pack.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    /// Where to write the zip; a folder gets `SITE_ID.zip` inside it.
    /// Default: `SITE_ID.zip` in the current folder.
    pub output: Option<PathBuf>,
    /// Include pages and sections marked `draft: true`.
    pub include_drafts: bool,
    /// Replace an existing file at the target that zhiku did not write.
    pub force: bool,
    /// Use this address instead of site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Warnings fail the pack as errors do (`--strict`).
    pub strict: bool,
}

/// What a successful pack did.
#[derive(Debug, Clone)]
pub struct PackReport {
    /// The zip written.
    pub path: PathBuf,
    /// Number of pages in the site.
    pub pages: usize,
    /// Number of files in the zip.
    pub files: usize,
    /// Size of the zip in bytes.
    pub bytes: u64,
    /// The build's warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Why no zip was written.
#[derive(Debug)]
pub enum PackFailure {
    /// The build failed (content errors, or an IO error while building).
    Build(BuildFailure),
    /// The site built, but the zip could not be written.
    Pack(anyhow::Error),
}

/// Builds the site at `site_dir` into a temporary folder and zips it.
/// `progress` is told when each build stage starts, then `"pack"`.
pub fn pack(
    site_dir: &Path,
    options: &PackOptions,
    progress: &dyn Fn(&str, usize),
) -> Result<PackReport, PackFailure> {
    let config = Config::load(site_dir).map_err(|d| PackFailure::Build(d.into()))?;
    let target = target_path(options.output.as_deref(), &config.site_id);
    check_target(site_dir, &target, Edition::Zip, options.force).map_err(PackFailure::Pack)?;
    let scratch = Scratch::create().map_err(PackFailure::Pack)?;
    let build = BuildOptions {
        output_dir: Some(scratch.0.clone()),
        include_drafts: options.include_drafts,
        write: true,
        base_url: options.base_url.clone(),
        strict: options.strict,
        ..BuildOptions::default()
    };
    let report = pipeline::build(site_dir, &build, progress).map_err(PackFailure::Build)?;
    let files = list_files(&scratch.0).map_err(PackFailure::Pack)?;
    progress("pack", files.len());
    let bytes = write_zip(&scratch.0, &files, &target).map_err(PackFailure::Pack)?;
    Ok(PackReport {
        path: target,
        pages: report.pages,
        files: files.len(),
        bytes,
        warnings: report.warnings,
    })
}

/// `-o FILE` as given, `FILE/SITE_ID.zip` when it is a folder (or is
/// written as one, ending in `/`: it is created), or `SITE_ID.zip` in the
/// current folder. `site_id` is always a valid file name: site.toml's
/// `site_id`, or the slug of the title.
fn target_path(output: Option<&Path>, site_id: &str) -> PathBuf {
    let name = format!("{site_id}.zip");
    match output {
        None => PathBuf::from(name),
        Some(dir) if names_a_folder(dir) => dir.join(name),
        Some(file) => file.to_path_buf(),
    }
}

/// Whether `-o PATH` means a folder: one that exists, or a path written
/// with a trailing `/` (or `\` on Windows).
pub fn names_a_folder(path: &Path) -> bool {
    let written = path.as_os_str().to_string_lossy();
    crate::fs::is_dir(path)
        || written.ends_with('/')
        || written.ends_with(std::path::MAIN_SEPARATOR)
}

/// The mark at the end of a single-file edition.
pub const SINGLE_FILE_MARK: &str = "<!-- zhiku pack --single-file -->";

/// What `zhiku pack` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// The zip of the site.
    Zip,
    /// The single-file edition (HTML).
    SingleFile,
}

/// Refuses a target that would replace the site's own files (`site.toml`,
/// anything in `content/`, `static/`, `templates/`, `themes/`), or, unless
/// `force`, an existing file that is not a zip (or single file) that zhiku
/// wrote: `pack -o site.toml` replaced the configuration with a zip
/// (issue 13).
pub fn check_target(site_dir: &Path, target: &Path, edition: Edition, force: bool) -> Result<()> {
    let root = crate::fs::canonicalize(site_dir)?;
    let resolved = crate::output::resolve(target);
    if resolved == root.join(crate::config::CONFIG_FILE) {
        bail!(tr!("output.pack.over_config", path = target.display()));
    }
    for folder in ["content", "static", "templates", "themes"] {
        if resolved.starts_with(root.join(folder)) {
            bail!(tr!(
                "output.pack.inside_site",
                path = target.display(),
                folder = folder
            ));
        }
    }
    let ours = match edition {
        Edition::Zip => crate::fs::read_prefix(target, 14)?.map(|head| zip::is_ours(&head)),
        Edition::SingleFile => crate::fs::read_if_exists(target)?.map(|bytes| {
            String::from_utf8_lossy(&bytes)
                .trim_end()
                .ends_with(SINGLE_FILE_MARK)
        }),
    };
    if ours == Some(false) && !force {
        let key = match edition {
            Edition::Zip => "cli.refuse_replace_zip",
            Edition::SingleFile => "cli.refuse_replace_single",
        };
        let message = crate::messages::format(key, &[("path", &target.display())]);
        bail!(crate::diagnostics::Refused(message));
    }
    Ok(())
}

/// The temporary build folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn create() -> Result<Scratch> {
        crate::fs::create_unique_dir(&std::env::temp_dir(), "zhiku-pack").map(Scratch)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover in the temporary folder harms nothing,
        // and the zip (or the build's errors) matter more than this.
        let _ = crate::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir` as a `/`-separated relative path, sorted by
/// bytes, without zhiku's manifest (it only serves the next build) or
/// temporary files.
fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
        for entry in crate::fs::read_dir_sorted(dir)? {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                bail!(tr!("output.pack.not_utf8", path = entry.path().display()));
            };
            let rel = format!("{prefix}{name}");
            let is_dir = entry
                .file_type()
                .with_context(|| tr!("output.fs.read", path = entry.path().display()))?
                .is_dir();
            if is_dir {
                walk(&entry.path(), &format!("{rel}/"), out)?;
            } else if rel != crate::output::MANIFEST && !crate::fs::is_temporary(name) {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    // A walk sorted per folder is not sorted by whole path
    // (`a-b/x` < `a/x`, but `a` < `a-b`); the zip wants the latter.
    files.sort();
    Ok(files)
}

/// Writes `files` (relative to `dir`) into a zip at `target`; returns its
/// size. Nothing is left at `target` (or beside it) on error.
fn write_zip(dir: &Path, files: &[String], target: &Path) -> Result<u64> {
    zip::check_entry_count(files.len())?;
    let mut writer = zip::ZipWriter::new(crate::fs::AtomicFile::create(target)?);
    let context = || tr!("output.fs.write", path = target.display());
    for batch in files.chunks(BATCH) {
        let entries = batch
            .par_iter()
            .map(|rel| zip::Entry::new(rel, &crate::fs::read(&dir.join(rel))?))
            .collect::<Result<Vec<_>>>()?;
        for entry in &entries {
            writer.add(entry).with_context(context)?;
        }
    }
    let (file, bytes) = writer.finish().with_context(context)?;
    file.commit()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_sorted_by_whole_path_without_the_manifest_or_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "a/x",
            "a-b/x",
            "index.html",
            crate::output::MANIFEST,
            "a/.x.zhiku-tmp-12",
        ] {
            crate::fs::write_new(&dir.path().join(rel), b"x").unwrap();
        }
        assert_eq!(
            list_files(dir.path()).unwrap(),
            vec!["a-b/x", "a/x", "index.html"]
        );
    }

    #[test]
    fn target_defaults_to_the_site_id_and_goes_inside_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(target_path(None, "party"), PathBuf::from("party.zip"));
        assert_eq!(
            target_path(Some(dir.path()), "party"),
            dir.path().join("party.zip")
        );
        let file = dir.path().join("copy.zip");
        assert_eq!(target_path(Some(&file), "party"), file);
        // A folder still to be made, written as one.
        let new = PathBuf::from(format!("{}/new/", dir.path().display()));
        assert_eq!(target_path(Some(&new), "party"), new.join("party.zip"));
    }

    #[test]
    fn a_failed_zip_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("out");
        crate::fs::write_new(&site.join("index.html"), b"x").unwrap();
        let target = dir.path().join("site.zip");
        // A file that vanished between listing and reading.
        let files = vec!["gone.html".to_string(), "index.html".to_string()];
        assert!(write_zip(&site, &files, &target).is_err());
        let names: Vec<_> = crate::fs::read_dir_sorted(dir.path())
            .unwrap()
            .into_iter()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec!["out"]);
    }
}
