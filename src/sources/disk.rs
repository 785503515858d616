//! The source cache's entries in the build cache on disk
//! ([`crate::disk_cache`]): spread over [`SHARDS`] shards by path, so that
//! an edit rewrites one and loading reads them in parallel.
//!
//! Each shard is two files: `sources/NN.bin`, the entries without their
//! HTML (a checked [`Store`] file), and `sources/NN.html`, the HTML of
//! those entries one after another, each with its offset, length and
//! CRC-32 in its entry. Both carry the shard's generation, a number that
//! changes with every save: a pair that does not match is not used. The
//! HTML is read when a template first needs it ([`Html`]); one that fails
//! its check is rendered again from its source file, with a note.

use std::io::{Read as _, Write as _};
#[cfg(not(unix))]
use std::sync::Mutex;

use super::*;
use crate::disk_cache::{Found, Store};
use crate::markdown::html::{Html, Spilled};

/// Shards on disk.
const SHARDS: usize = 64;
const HTML_MAGIC: &[u8; 8] = b"zkhtml\0\x01";
/// Magic and generation.
const HTML_HEADER: u64 = 16;

fn shard_of(rel: &str) -> usize {
    (crate::hash::of(rel) % SHARDS as u64) as usize
}

fn entries_name(shard: usize) -> String {
    format!("sources/{shard:02}.bin")
}

fn html_name(shard: usize) -> String {
    format!("sources/{shard:02}.html")
}

/// Where an entry's HTML is in its shard's HTML file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct HtmlAt {
    offset: u64,
    len: u64,
    crc: u32,
}

impl SourceCache {
    /// Marks the shard of `rel` as changed.
    pub(super) fn touch(&mut self, rel: &str) {
        self.dirty.insert(shard_of(rel));
    }

    /// Reads the entries kept on disk, once; their HTML stays there until
    /// it is needed.
    pub(super) fn read_store(&mut self, config: &Config) {
        let Some(store) = self.store.clone().filter(|_| self.unread) else {
            return;
        };
        self.unread = false;
        let again = Arc::new(Again {
            content: config.content_dir(),
            allow_html: config.markdown.allow_html,
        });
        self.again = Some(again.clone());
        let shards: Vec<Option<Vec<(String, Entry)>>> = (0..SHARDS)
            .into_par_iter()
            .map(|s| read_shard(&store, s, &again))
            .collect();
        for (s, shard) in shards.into_iter().enumerate() {
            let Some(entries) = shard else {
                // Replaced by this build's, even if it has no entries.
                self.dirty.insert(s);
                continue;
            };
            for (rel, entry) in entries {
                // A file moved between shards by hand is not trusted.
                if shard_of(&rel) == s {
                    self.files.insert(rel, entry);
                }
            }
        }
    }

    /// Writes the shards whose entries changed to the cache on disk. With
    /// `spill`, the HTML saved there leaves memory (a single build: read
    /// back by the render stage, after the search stage has run without it).
    pub(super) fn save_shards(&mut self, spill: bool) {
        let (Some(store), Some(again)) = (self.store.clone(), self.again.clone()) else {
            return;
        };
        let mut shards: Vec<Vec<(&String, &mut Entry)>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for (rel, entry) in &mut self.files {
            let s = shard_of(rel);
            if self.dirty.contains(&s) {
                shards[s].push((rel, entry));
            }
        }
        shards
            .par_iter_mut()
            .enumerate()
            .filter(|(s, _)| self.dirty.contains(s))
            .for_each(|(s, entries)| save_shard(&store, s, entries, spill.then_some(&again)));
        self.dirty.clear();
    }
}

/// A shard's entries, with their HTML on disk; `None` when the shard is
/// missing, damaged or made under another key.
fn read_shard(store: &Arc<Store>, s: usize, again: &Arc<Again>) -> Option<Vec<(String, Entry)>> {
    let (generation, mut entries): (u64, Vec<(String, Entry)>) = match store.find(&entries_name(s))
    {
        Found::Whole(found) => found,
        Found::Missing | Found::Stale => return None,
    };
    let file = HtmlFile::open(store, s, generation)?;
    for (rel, entry) in &mut entries {
        // Freshly decoded, so not shared yet: a page without its HTML's
        // place, or shared, makes the shard unusable.
        if entry.rendered().is_some() && !entry.spill(rel, &file, again) {
            return None;
        }
    }
    Some(entries)
}

/// Writes a shard's HTML, then its entries (with where their HTML is).
fn save_shard(
    store: &Arc<Store>,
    s: usize,
    entries: &mut [(&String, &mut Entry)],
    spill: Option<&Arc<Again>>,
) {
    let generation = crate::hash::of((
        s,
        std::process::id(),
        std::time::SystemTime::now(),
        entries.len(),
    ));
    let mut places = Vec::with_capacity(entries.len());
    let written = store.write_with(&html_name(s), |w| {
        w.write_all(HTML_MAGIC)?;
        w.write_all(&generation.to_le_bytes())?;
        let mut offset = 0u64;
        for (_, entry) in entries.iter() {
            let Some(rendered) = entry.rendered() else {
                places.push(None);
                continue;
            };
            let html = rendered.html.as_bytes();
            w.write_all(html)?;
            places.push(Some(HtmlAt {
                offset,
                len: html.len() as u64,
                crc: crc32fast::hash(html),
            }));
            offset += html.len() as u64;
        }
        Ok(())
    });
    if !written {
        return;
    }
    for ((_, entry), at) in entries.iter_mut().zip(places) {
        entry.html_at = at;
    }
    let view: Vec<(&String, &Entry)> = entries.iter().map(|(r, e)| (*r, &**e)).collect();
    // Saved whether or not the HTML then leaves memory (the dev server
    // keeps it there, and its next session starts from these entries).
    let saved = store.save(&entries_name(s), &(generation, view));
    let Some(again) = spill.filter(|_| saved) else {
        return;
    };
    let Some(file) = HtmlFile::open(store, s, generation) else {
        return;
    };
    for (rel, entry) in entries.iter_mut() {
        entry.spill(rel, &file, again);
    }
}

impl Entry {
    /// Points its HTML at `file` (read from there when needed); false when
    /// it has no place there or its page is shared (left as it is).
    fn spill(&mut self, rel: &str, file: &Arc<HtmlFile>, again: &Arc<Again>) -> bool {
        let at = self.html_at;
        let (rendered, kind) = match &mut self.result {
            Read::Page(p, kind) => (&mut p.rendered, *kind),
            Read::Section(sec) => (&mut sec.rendered, Kind::Page),
            Read::Skipped | Read::Failed(_) => return false,
        };
        let (Some(at), Some(rendered)) = (at, Arc::get_mut(rendered)) else {
            return false;
        };
        rendered.html = Html::on_disk(Arc::new(OnDisk {
            file: file.clone(),
            at,
            rel: rel.to_string(),
            kind,
            again: again.clone(),
        }));
        true
    }

    fn rendered(&self) -> Option<&crate::markdown::Rendered> {
        match &self.result {
            Read::Page(p, _) => Some(&p.rendered),
            Read::Section(s) => Some(&s.rendered),
            Read::Skipped | Read::Failed(_) => None,
        }
    }
}

/// A shard's HTML file, open for the whole build: the file it was checked
/// against stays the one read, even if another build replaces it.
#[derive(Debug)]
struct HtmlFile {
    file: Handle,
    name: String,
    store: Arc<Store>,
}

impl HtmlFile {
    /// The shard's HTML file, if it is the one of `generation`.
    fn open(store: &Arc<Store>, s: usize, generation: u64) -> Option<Arc<HtmlFile>> {
        let name = html_name(s);
        let mut file = store.open(&name)?;
        let mut header = [0u8; HTML_HEADER as usize];
        file.read_exact(&mut header).ok()?;
        if &header[..8] != HTML_MAGIC || header[8..] != generation.to_le_bytes() {
            return None;
        }
        #[cfg(not(unix))]
        let file = Mutex::new(file);
        Some(Arc::new(HtmlFile {
            file,
            name,
            store: store.clone(),
        }))
    }

    /// The HTML at `at`, if it is whole.
    fn read(&self, at: HtmlAt) -> Option<String> {
        let mut bytes = vec![0; usize::try_from(at.len).ok()?];
        self.read_at(&mut bytes, HTML_HEADER + at.offset).ok()?;
        if crc32fast::hash(&bytes) != at.crc {
            return None;
        }
        simdutf8::basic::from_utf8(&bytes).ok()?;
        // Checked just above.
        String::from_utf8(bytes).ok()
    }
}

impl HtmlFile {
    #[cfg(unix)]
    fn read_at(&self, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.file.read_exact_at(bytes, offset)
    }

    #[cfg(not(unix))]
    fn read_at(&self, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::io::{Read as _, Seek, SeekFrom};
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(bytes)
    }
}

/// Positioned reads on Unix need no lock; elsewhere the cursor is shared.
#[cfg(unix)]
type Handle = std::fs::File;
#[cfg(not(unix))]
type Handle = Mutex<std::fs::File>;

/// One page's HTML in a shard's HTML file.
#[derive(Debug)]
struct OnDisk {
    file: Arc<HtmlFile>,
    at: HtmlAt,
    rel: String,
    kind: Kind,
    again: Arc<Again>,
}

impl Spilled for OnDisk {
    fn read(&self) -> String {
        if let Some(html) = self.file.read(self.at) {
            return html;
        }
        self.file.store.damaged(
            &self.file.name,
            crate::messages::text("cli.cache_why.failed_check"),
        );
        self.again.render(&self.rel, self.kind).unwrap_or_default()
    }
}

/// How to render a page's HTML again from its source file, when the copy
/// on disk fails its check.
#[derive(Debug)]
pub(super) struct Again {
    content: PathBuf,
    allow_html: bool,
}

impl Again {
    fn render(&self, rel: &str, kind: Kind) -> Option<String> {
        let file = SourceFile {
            rel: rel.to_string(),
            path: self.content.join(rel),
            kind: crate::content::discover::SourceKind::Markdown,
        };
        let (parsed, _) = parse_one(&file, crate::fs::read(&file.path), true);
        let opts = MarkdownOptions {
            allow_html: self.allow_html,
            kind,
        };
        let (body, line_offset) = match parsed.ok()? {
            Parsed::Page(p) => (p.body, p.body_line_offset),
            Parsed::Section(p) => (p.body, p.body_line_offset),
            Parsed::Skipped => return None,
        };
        let rendered = render_body(rel, &body, line_offset, opts).ok()?;
        Some(rendered.html.to_string())
    }
}
