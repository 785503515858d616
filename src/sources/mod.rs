//! Stages 2–4 for every Markdown file of `content/`: discover, front
//! matter, Markdown, each file's result kept in a [`SourceCache`] so that a
//! rebuild reads and renders only what changed.
//!
//! Kept per file: its size and modified time, a hash of its bytes, and what
//! reading it produced (front matter and rendered Markdown, or the error),
//! with the page kind it was rendered as. What a file produced depends on
//! its bytes (and on the configuration, whose change clears the cache: see
//! `pipeline::Cache`), so entries are kept even when a build fails.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{CONFIG_FILE, Config};
use crate::content::Kind;
use crate::content::discover::{SourceFile, SourceKind, discover};
use crate::content::page::{self, PageMeta, SectionMeta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::disk_cache::Store;
use crate::graph::{self, PageSource, SectionSource};
use crate::markdown::{self, MarkdownOptions};
use crate::tr;

/// What the discover stage found: Markdown files, other files of
/// `content/`, folders, and what it had to say about them.
#[derive(Clone, Default)]
pub struct Found {
    /// Markdown files, in discovery order.
    pub markdown: Vec<SourceFile>,
    /// Other files of `content/`, relative to it.
    pub assets: Vec<String>,
    /// Folders, relative to `content/`.
    pub dirs: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// The content of a site, read: what the graph is built from.
#[derive(Default)]
pub struct Sources {
    /// What discover found.
    pub found: Arc<Found>,
    /// Every page, in the order of `found.markdown`.
    pub pages: Vec<PageSource>,
    /// Every section's `_index.md`, in the same order.
    pub sections: Vec<SectionSource>,
    /// The files read anew by this build, when the caller named the
    /// changes and none was created or deleted (the rest are as the cache
    /// last saw them); `None` otherwise.
    pub fresh: Option<Vec<String>>,
}

/// Each Markdown file's last result, and the last discovery.
#[derive(Default)]
pub struct SourceCache {
    /// False for a single build: nothing is kept in memory for the next.
    keep: bool,
    files: crate::hash::Map<String, Entry>,
    found: Option<Arc<Found>>,
    /// The cache on disk: entries come from it and go back to it.
    store: Option<Arc<Store>>,
    /// The shards on disk whose entries changed.
    dirty: HashSet<usize>,
    /// The entries on disk are still to be read (by the discover stage).
    unread: bool,
    /// Each file's digest, once a single build has saved its entries and
    /// let them go.
    digests: crate::hash::Map<String, u64>,
    /// How to render a file's HTML again when its copy on disk is damaged.
    again: Option<Arc<disk::Again>>,
}

mod disk;

/// One Markdown file, as last read.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    stat: Stat,
    hash: u64,
    result: Read,
    /// A warning from reading it (a page without content).
    warning: Option<Diagnostic>,
    /// Where its HTML is in the cache on disk (set when saved there).
    html_at: Option<disk::HtmlAt>,
}

/// What a file produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
// One per file, kept: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Read {
    /// A page, its body rendered as `kind`.
    Page(PageSource, Kind),
    Section(SectionSource),
    /// A draft, left out.
    Skipped,
    Failed(Diagnostic),
}

/// A Markdown file with its front matter parsed, body not yet rendered.
// Short-lived, one per file while loading: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Parsed {
    Page(page::Parsed<PageMeta>),
    Section(page::Parsed<SectionMeta>),
    Skipped,
}

/// A Markdown file after the parse stage: its entry still holds, or it was
/// read (bytes hashed, front matter parsed).
// Short-lived, one per file: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Probe {
    /// Its cache entry holds (with the file's stat now).
    Unchanged(Stat),
    /// Read anew.
    Read {
        /// Size and modified time.
        stat: Stat,
        /// Hash of its bytes.
        hash: u64,
        parsed: Result<Parsed, Diagnostic>,
        warning: Option<Diagnostic>,
    },
}

/// What the discover stage found, and (when the caller named the files
/// that changed and none was created or deleted) which files to look at.
pub struct Discovered {
    found: Arc<Found>,
    touched: Option<HashSet<String>>,
}

impl Discovered {
    /// How many Markdown files there are.
    pub fn markdown_files(&self) -> usize {
        self.found.markdown.len()
    }
}

impl SourceCache {
    /// A cache that keeps its entries for the next build (`keep`), or one
    /// for a single build that keeps nothing.
    pub fn new(keep: bool) -> SourceCache {
        SourceCache {
            keep,
            ..SourceCache::default()
        }
    }

    /// The digest of a source file's bytes (0 if it was not read, or the
    /// cache keeps nothing).
    pub fn digest(&self, rel: &str) -> u64 {
        match self.files.get(rel) {
            Some(f) => f.hash,
            None => self.digests.get(rel).copied().unwrap_or(0),
        }
    }

    /// Takes the entries kept in `store` (the cache on disk) from the next
    /// discover stage on, and keeps each build's entries there.
    pub(crate) fn attach(&mut self, store: Arc<Store>) {
        self.store = Some(store);
        self.unread = true;
    }

    /// Stage "discover": the files of `content/`, or the last discovery
    /// when the caller names the files that changed and none of them was
    /// created or deleted (a watcher's batch of edits).
    pub fn discover(
        &mut self,
        config: &Config,
        changed: Option<&[PathBuf]>,
        sink: &mut Diagnostics,
    ) -> Result<Discovered, Vec<Diagnostic>> {
        if self.unread {
            // Reading the cache and walking content/ overlap.
            let (_, found) = rayon::join(
                || self.read_store(config),
                || discover_content(config, sink),
            );
            return self.discovered(found?);
        }
        if let (Some(changed), Some(found)) = (changed, &self.found)
            && let Some(touched) = only_edits(config, found, changed)
        {
            sink.extend(found.diagnostics.iter().cloned());
            return Ok(Discovered {
                found: found.clone(),
                touched: Some(touched),
            });
        }
        let found = discover_content(config, sink)?;
        self.discovered(found)
    }

    fn discovered(&mut self, found: Found) -> Result<Discovered, Vec<Diagnostic>> {
        let found = Arc::new(found);
        if self.keep {
            self.found = Some(found.clone());
        }
        Ok(Discovered {
            found,
            touched: None,
        })
    }

    /// Stage "parse": reads every Markdown file whose size, time or bytes
    /// changed since the cache saw it (when the caller named the files
    /// that changed, only those), and parses its front matter, in
    /// parallel.
    pub(crate) fn parse(&self, discovered: &Discovered, include_drafts: bool) -> Vec<Probe> {
        let only = discovered.touched.as_ref();
        discovered
            .found
            .markdown
            .par_iter()
            .map(|f| {
                let known = self.files.get(&f.rel);
                if let (Some(only), Some(k)) = (only, known)
                    && !only.contains(&f.rel)
                {
                    return Probe::Unchanged(k.stat);
                }
                let stat = stat(&f.path);
                if stat.is_some() && known.is_some_and(|k| k.stat == stat) {
                    return Probe::Unchanged(stat);
                }
                let bytes = crate::fs::read(&f.path);
                let hash = bytes.as_ref().map_or(0, |b| crate::hash::bytes(b));
                if bytes.is_ok() && known.is_some_and(|k| k.hash == hash) {
                    return Probe::Unchanged(stat);
                }
                let (parsed, warning) = parse_one(f, bytes, include_drafts);
                Probe::Read {
                    stat,
                    hash,
                    parsed,
                    warning,
                }
            })
            .collect()
    }

    /// Stage "markdown": renders the bodies of the files that were read
    /// (and of pages whose kind changed with their section's `page_kind`),
    /// in parallel, and returns every file's source, from this build or
    /// the cache. Each file's warnings and errors go to `sink`, every build.
    pub(crate) fn render(
        &mut self,
        config: &Config,
        discovered: Discovered,
        probes: Vec<Probe>,
        include_drafts: bool,
        sink: &mut Diagnostics,
    ) -> Sources {
        let files = &discovered.found.markdown;
        let kinds = SectionKinds::new(files, &probes, &self.files);
        let reader = Reader {
            opts: MarkdownOptions {
                allow_html: config.markdown.allow_html,
                kind: Kind::Page,
            },
            kinds: &kinds,
            include_drafts,
            known: &self.files,
        };
        let fresh: Vec<(usize, Entry)> = files
            .par_iter()
            .zip(probes)
            .enumerate()
            .filter_map(|(i, (f, probe))| Some((i, reader.read(f, probe)?)))
            .collect();
        let mut sources = Sources {
            found: discovered.found.clone(),
            ..Sources::default()
        };
        if !self.keep && self.store.is_none() {
            // One build: every file was read; nothing is copied or kept.
            for (_, entry) in fresh {
                report_file(entry.warning.as_ref(), &entry.result, sink);
                sources.add(entry.result);
            }
            return sources;
        }
        if discovered.touched.is_some() {
            sources.fresh = Some(fresh.iter().map(|(i, _)| files[*i].rel.clone()).collect());
        }
        self.update(files, fresh);
        if !self.keep {
            // Before the entries are shared with the graph: a single
            // build's HTML then leaves memory for the disk.
            self.save_shards(true);
        }
        for f in files {
            if let Some(entry) = self.files.get(&f.rel) {
                report_file(entry.warning.as_ref(), &entry.result, sink);
                sources.add(entry.result.clone());
            }
        }
        if !self.keep {
            // A single build with a cache on disk: the entries are saved,
            // and the build needs only their digests from here on (the
            // search stage then frees each page's units).
            self.digests = self.files.drain().map(|(rel, e)| (rel, e.hash)).collect();
        }
        sources
    }

    /// Writes the entries that changed to the cache on disk, if there is
    /// one (a single build has, already).
    pub(crate) fn save(&mut self) {
        self.save_shards(false);
    }

    /// Files that are gone are forgotten; the rest are updated in place.
    fn update(&mut self, files: &[SourceFile], fresh: Vec<(usize, Entry)>) {
        if self.files.len() != files.len() || !fresh.is_empty() {
            let current: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
            let mut gone = Vec::new();
            self.files.retain(|rel, _| {
                let keep = current.contains(rel.as_str());
                if !keep {
                    gone.push(rel.clone());
                }
                keep
            });
            for rel in gone {
                self.touch(&rel);
            }
        }
        for (i, entry) in fresh {
            self.touch(&files[i].rel);
            self.files.insert(files[i].rel.clone(), entry);
        }
    }
}

impl Sources {
    fn add(&mut self, result: Read) {
        match result {
            Read::Page(p, _) => self.pages.push(p),
            Read::Section(s) => self.sections.push(s),
            Read::Skipped | Read::Failed(_) => {}
        }
    }
}

/// The files a watcher's batch touched, when all of them are files the
/// last discovery knows (edits only); `None` when one was created,
/// deleted or is not a file.
fn only_edits(config: &Config, found: &Found, changed: &[PathBuf]) -> Option<HashSet<String>> {
    let content = config.content_dir();
    let known = |rel: &str| {
        found.markdown.iter().any(|f| f.rel == rel) || found.assets.iter().any(|a| a == rel)
    };
    let mut touched = HashSet::new();
    for path in changed {
        // Templates, static files, the theme, site.toml: they do not
        // change what is in content/.
        let Ok(rel) = path.strip_prefix(&content) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !(crate::fs::is_file(path) && known(&rel)) {
            return None;
        }
        touched.insert(rel);
    }
    Some(touched)
}

fn discover_content(config: &Config, sink: &mut Diagnostics) -> Result<Found, Vec<Diagnostic>> {
    let content = config.content_dir();
    if !crate::fs::is_dir(&content) {
        return Err(vec![
            Diagnostic::error("content", tr!("output.sources.no_content"))
                .with_hint(tr!("output.sources.no_content_hint", file = CONFIG_FILE)),
        ]);
    }
    let found = discover(&content, "content");
    sink.extend(found.diagnostics.iter().cloned());
    let (markdown, asset_files): (Vec<_>, Vec<_>) = found
        .files
        .into_iter()
        .partition(|f| f.kind == SourceKind::Markdown);
    Ok(Found {
        assets: asset_files.into_iter().map(|f| f.rel).collect(),
        markdown,
        dirs: found.dirs,
        diagnostics: found.diagnostics,
    })
}

/// A page's kind decides how its Markdown renders (articles, checklist
/// items): its own `kind`, else its folder's `page_kind`.
struct SectionKinds(crate::hash::Map<String, Kind>);

impl SectionKinds {
    fn new(
        files: &[SourceFile],
        probes: &[Probe],
        known: &crate::hash::Map<String, Entry>,
    ) -> Self {
        let mut kinds = crate::hash::Map::default();
        for (f, probe) in files.iter().zip(probes) {
            let page_kind = match probe {
                Probe::Read {
                    parsed: Ok(Parsed::Section(s)),
                    ..
                } => s.meta.page_kind,
                Probe::Unchanged(_) => match known.get(&f.rel).map(|m| &m.result) {
                    Some(Read::Section(s)) => s.meta.page_kind,
                    _ => None,
                },
                _ => None,
            };
            if let Some(k) = page_kind {
                kinds.insert(graph::parent_dir(&f.rel).to_string(), k);
            }
        }
        SectionKinds(kinds)
    }

    fn of(&self, rel: &str, own: Option<Kind>) -> Kind {
        own.or_else(|| self.0.get(graph::parent_dir(rel)).copied())
            .unwrap_or_default()
    }
}

/// Renders one file's Markdown for the markdown stage.
struct Reader<'a> {
    opts: MarkdownOptions,
    kinds: &'a SectionKinds,
    include_drafts: bool,
    known: &'a crate::hash::Map<String, Entry>,
}

impl Reader<'_> {
    /// The file's new cache entry; `None` when its entry holds as it is.
    fn read(&self, f: &SourceFile, probe: Probe) -> Option<Entry> {
        let (stat, hash, parsed, warning) = match probe {
            Probe::Unchanged(stat) => {
                let known = self.known.get(&f.rel)?;
                match &known.result {
                    // Rendered as another kind: its section's
                    // `page_kind` changed. Read it again.
                    Read::Page(p, kind) if *kind != self.kinds.of(&f.rel, p.meta.kind) => {
                        let (parsed, warning) =
                            parse_one(f, crate::fs::read(&f.path), self.include_drafts);
                        (stat, known.hash, parsed, warning)
                    }
                    _ if known.stat == stat => return None,
                    _ => {
                        let mut same = known.clone();
                        same.stat = stat;
                        return Some(same);
                    }
                }
            }
            Probe::Read {
                stat,
                hash,
                parsed,
                warning,
            } => (stat, hash, parsed, warning),
        };
        Some(Entry {
            stat,
            hash,
            result: self.render(f, parsed),
            warning,
            html_at: None,
        })
    }

    fn render(&self, f: &SourceFile, parsed: Result<Parsed, Diagnostic>) -> Read {
        let parsed = match parsed {
            Err(d) => return Read::Failed(d),
            Ok(p) => p,
        };
        match parsed {
            Parsed::Skipped => Read::Skipped,
            Parsed::Section(p) => {
                match render_body(&f.rel, &p.body, p.body_line_offset, self.opts) {
                    Ok(rendered) => Read::Section(SectionSource {
                        rel: f.rel.clone(),
                        rendered: rendered.into(),
                        meta: p.meta.into(),
                    }),
                    Err(d) => Read::Failed(d),
                }
            }
            Parsed::Page(p) => {
                let kind = self.kinds.of(&f.rel, p.meta.kind);
                let opts = MarkdownOptions { kind, ..self.opts };
                match render_body(&f.rel, &p.body, p.body_line_offset, opts) {
                    Ok(rendered) => Read::Page(
                        PageSource {
                            value_lines: value_lines(&p.yaml).into(),
                            rel: f.rel.clone(),
                            meta: p.meta.into(),
                            rendered: rendered.into(),
                        },
                        kind,
                    ),
                    Err(d) => Read::Failed(d),
                }
            }
        }
    }
}

fn parse_one(
    file: &SourceFile,
    bytes: anyhow::Result<Vec<u8>>,
    include_drafts: bool,
) -> (Result<Parsed, Diagnostic>, Option<Diagnostic>) {
    let label = format!("content/{}", file.rel);
    let text = match bytes {
        Ok(bytes) => page::decode(&label, bytes),
        Err(e) => Err(Diagnostic::error(&label, format!("{e:#}"))),
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => return (Err(d), None),
    };
    let checked = |yaml: &str, title: &str, slug: Option<&str>| {
        first_error(page::validate_title_and_slug(&label, yaml, title, slug))
    };
    if is_section_file(&file.rel) {
        // `content/_index.md`, the home page's.
        let home = !file.rel.contains('/');
        let result = page::parse_section(&label, &text, home).and_then(|p| {
            if !(home && front_matter_omits_title(&p.yaml)) {
                checked(&p.yaml, &p.meta.title, p.meta.slug.as_deref())?;
            }
            Ok(Parsed::Section(p))
        });
        return (result, None);
    }
    let mut warning = None;
    let result = page::parse::<PageMeta>(&label, &text).and_then(|p| {
        checked(&p.yaml, &p.meta.title, p.meta.slug.as_deref())?;
        if p.meta.draft && !include_drafts {
            return Ok(Parsed::Skipped);
        }
        if p.body.trim().is_empty() {
            warning = Some(
                Diagnostic::warning(&label, tr!("output.sources.empty_page"))
                    .at_line(p.body_line_offset + 1),
            );
        }
        Ok(Parsed::Page(p))
    });
    (result, warning)
}

/// The home page's front matter leaves `title` to `site.toml`.
fn front_matter_omits_title(yaml: &str) -> bool {
    crate::content::front_matter::key_lines(yaml, "title")
        .next()
        .is_none()
}

fn is_section_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::content::discover::markdown_stem(name) == Some("_index")
}

/// Renders a file's Markdown; a page nested too deep, or one that made the
/// Markdown stage panic, is an error for that file (with its line), never
/// the end of the build or of the dev server.
fn render_body(
    rel: &str,
    body: &str,
    line_offset: usize,
    opts: MarkdownOptions,
) -> Result<markdown::Rendered, Diagnostic> {
    let path = format!("content/{rel}");
    let rendered =
        std::panic::catch_unwind(|| markdown::render(body, line_offset, opts)).map_err(|_| {
            Diagnostic::error(&path, tr!("output.sources.markdown_panicked"))
                .with_hint(tr!("output.sources.markdown_panicked_hint"))
        })?;
    match &rendered.error {
        Some(note) => Err(Diagnostic::error(&path, &note.message)
            .at_line(note.line)
            .with_hint(tr!("output.sources.too_deep_hint"))),
        None => Ok(rendered),
    }
}

/// What reading a file has to say, every build: its warning, its notes, a
/// checklist without items, or its error.
fn report_file(warning: Option<&Diagnostic>, result: &Read, sink: &mut Diagnostics) {
    sink.extend(warning.cloned());
    match result {
        Read::Page(p, kind) => {
            let label = || format!("content/{}", p.rel);
            sink.extend(
                p.rendered
                    .notes
                    .iter()
                    .map(|n| Diagnostic::warning(label(), &n.message).at_line(n.line)),
            );
            if p.rendered.items.is_empty() && *kind == Kind::Checklist {
                sink.push(Diagnostic::warning(
                    label(),
                    tr!("output.sources.no_task_items"),
                ));
            }
            if p.rendered.questions.is_empty()
                && p.rendered.problems.is_empty()
                && *kind == Kind::Quiz
            {
                sink.push(Diagnostic::warning(
                    label(),
                    tr!("output.sources.no_questions"),
                ));
            }
            report_problems(&p.rel, &p.rendered, sink);
        }
        Read::Section(s) => report_problems(&s.rel, &s.rendered, sink),
        Read::Failed(d) => sink.push(d.clone()),
        Read::Skipped => {}
    }
}

/// The errors the Markdown stage found (quiz questions), at their line and
/// column.
fn report_problems(rel: &str, rendered: &markdown::Rendered, sink: &mut Diagnostics) {
    for p in &rendered.problems {
        let d = Diagnostic::error(format!("content/{rel}"), &p.message).at(p.line, p.column);
        sink.push(match &p.hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        });
    }
}

/// The file line of each value in the front matter (first occurrence), so
/// that errors about `related:` or `supersedes:` targets point at them.
fn value_lines(yaml: &str) -> Vec<(String, usize)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let value = line.trim().trim_start_matches('-').trim();
            let value = value
                .split_once(':')
                .filter(|(k, _)| !k.contains(['#', '/', '.']))
                .map_or(value, |(_, v)| v.trim());
            let value = value.trim_matches(['"', '\'']);
            (!value.is_empty()).then(|| (value.to_string(), i + 2))
        })
        .collect()
}

fn first_error(diagnostics: Vec<Diagnostic>) -> Result<(), Diagnostic> {
    diagnostics.into_iter().next().map_or(Ok(()), Err)
}

/// A file's modified time and size, when they can be trusted to change
/// with its bytes.
pub type Stat = Option<(SystemTime, u64)>;

/// File systems keep modified times in coarse steps (a few milliseconds on
/// Linux): a file changed again within this long after it was read may
/// keep its time and size. Such a file's stat is not trusted; its bytes
/// are compared (git's "racily clean" entries).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// A file's modified time and size (`None` when unknown), and whether
/// they are too recent to be trusted by the next build.
fn stat(path: &Path) -> Stat {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let recent = SystemTime::now()
        .duration_since(modified)
        .map_or(true, |age| age < RACY);
    (!recent).then_some((modified, meta.len()))
}
