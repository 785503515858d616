//! The index's files: term shards, units, pages, the page map, unit
//! counts, the fold table and `meta.js` (docs/search-format.md).

use super::*;

use std::sync::Mutex;

/// What [`Packer`] knows of a data file: the hash of its content before
/// packing, and the hash and length of the file.
pub type PackedFile = (u64, u64, u64);

/// Packs the index's data files, but not one whose content is what the
/// output folder already holds: compressing the unit texts and postings is
/// most of the index's time, and an edit changes few of them. A file not
/// packed again comes back with no bytes; [`Packer::hash`] and
/// [`Packer::len`] still tell its hash and length.
#[derive(Default)]
pub struct Packer {
    /// The data files on disk, by path.
    known: HashMap<String, PackedFile>,
    /// This build's, for the next.
    made: Mutex<HashMap<String, PackedFile>>,
}

impl Packer {
    /// A packer that keeps the files in `known` (on disk) where their
    /// content is the same.
    pub fn new(known: HashMap<String, PackedFile>) -> Packer {
        Packer {
            known,
            made: Mutex::default(),
        }
    }

    /// The file at `path` whose content before packing is `raw`; `pack`
    /// makes its bytes, unless the file on disk has them already.
    fn file(&self, path: String, raw: &[u8], pack: impl FnOnce() -> Vec<u8>) -> OutputFile {
        let raw = crate::hash::bytes(raw);
        let mut bytes = Vec::new();
        let known = self.known.get(&path).copied().filter(|k| k.0 == raw);
        let entry = known.unwrap_or_else(|| {
            bytes = pack();
            (raw, crate::hash::bytes(&bytes), bytes.len() as u64)
        });
        self.lock().insert(path.clone(), entry);
        OutputFile { path, bytes }
    }

    /// The hash of a file's bytes, whether or not it was packed again.
    pub fn hash(&self, file: &OutputFile) -> u64 {
        match self.lock().get(&file.path) {
            Some(&(_, hash, _)) => hash,
            None => crate::hash::bytes(&file.bytes),
        }
    }

    /// The length of a file, whether or not it was packed again.
    pub fn len(&self, file: &OutputFile) -> u64 {
        match self.lock().get(&file.path) {
            Some(&(_, _, len)) => len,
            None => file.bytes.len() as u64,
        }
    }

    /// Whether a file was left as it is on disk.
    pub fn kept(&self, file: &OutputFile) -> bool {
        file.bytes.is_empty() && self.lock().contains_key(&file.path)
    }

    /// Every data file of this build.
    pub fn into_made(self) -> HashMap<String, PackedFile> {
        self.made.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PackedFile>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(super) fn js(kind: &str, id: usize, payload: &str) -> Vec<u8> {
    // U+2028/2029 are valid in JSON but ended string literals in older JS.
    let payload = payload
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!(
        "zhikuSearchData({},{id},{payload});\n",
        serde_json::to_string(kind).unwrap_or_default()
    )
    .into_bytes()
}

pub(super) fn shard_file(s: usize, map: &KeyMap<Entry>, packer: &Packer) -> OutputFile {
    let mut terms: Vec<(&str, &Postings)> = map.values().map(|e| (&*e.term, &e.postings)).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let raw = encode::shard_bytes(&terms);
    packer.file(format!("search/terms/{s}.js"), &raw, || {
        js("terms", s, &format!("\"{}\"", encode::pack_at(&raw, 1)))
    })
}

/// A data file whose payload is `bytes` packed ([`encode::pack`]).
pub(super) fn packed_file(kind: &str, id: usize, bytes: &[u8], packer: &Packer) -> OutputFile {
    packer.file(format!("search/{kind}/{id}.js"), bytes, || {
        js(kind, id, &format!("\"{}\"", encode::pack(bytes)))
    })
}

/// Appends `value` as a JSON string literal, escaped as serde_json would
/// (without allocating a string per value: this runs for every unit).
pub(super) fn json_str(out: &mut String, value: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&value[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

pub(super) fn unit_files(
    graph: &SiteGraph,
    facts: &[String],
    lengths: &[u32],
    packer: &Packer,
) -> Vec<OutputFile> {
    // (page, unit) in unit id order; each file's JSON is written by hand, in
    // parallel: 100,000+ units as serde_json values would allocate a tree
    // per unit for nothing.
    let units: Vec<(usize, usize, Option<&crate::markdown::units::TextUnit>)> = graph
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            let list = &page.rendered.units;
            (0..list.len().max(1)).map(move |u| (p, u, list.get(u)))
        })
        .collect();
    units
        .par_chunks(UNIT_CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let mut json = String::from("[");
            for (i, &(p, u, unit)) in chunk.iter().enumerate() {
                let page = &graph.pages[p];
                let len = lengths.get(n * UNIT_CHUNK + i).copied().unwrap_or(0);
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&format!("[{p},"));
                json_str(&mut json, unit.map_or("", |x| x.anchor.as_str()));
                json.push(',');
                json_str(&mut json, unit.map_or("", |x| x.label.as_str()));
                json.push_str(&format!(",{len},"));
                let text = fill_link_texts(unit.map_or("", |x| x.text.as_str()), &page.link_texts);
                json_str(&mut json, &shorten(&text, TEXT_CHARS));
                if u == 0 {
                    json.push(',');
                    json_str(&mut json, &facts[p]);
                }
                json.push(']');
            }
            json.push(']');
            packed_file("units", n, json.as_bytes(), packer)
        })
        .collect()
}

/// Each page's tag ids: indices into `meta.tags` (the tags taxonomy's terms).
pub(super) fn page_tag_ids(graph: &SiteGraph, taxonomies: &[Taxonomy]) -> Vec<Vec<usize>> {
    let tags = taxonomies.iter().find(|t| t.name == "tags");
    let tag_index: HashMap<&str, usize> = tags
        .map(|t| {
            t.terms
                .iter()
                .enumerate()
                .map(|(i, term)| (term.slug.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    graph
        .pages
        .iter()
        .map(|page| {
            page.meta
                .tags
                .iter()
                .filter_map(|v| {
                    tags.and_then(|t| t.term(v))
                        .and_then(|term| tag_index.get(term.slug.as_str()).copied())
                })
                .collect()
        })
        .collect()
}

pub(super) fn page_files(
    graph: &SiteGraph,
    tag_ids: &[Vec<usize>],
    url: &(dyn Fn(&crate::graph::Page) -> String + Sync),
    packer: &Packer,
) -> Vec<OutputFile> {
    let pages: Vec<String> = graph
        .pages
        .iter()
        .zip(tag_ids)
        .map(|(page, ids)| {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            let mut entry = String::from("[");
            json_str(&mut entry, &page.meta.title);
            entry.push(',');
            json_str(&mut entry, &url(page));
            entry.push(',');
            json_str(&mut entry, page.kind.as_str());
            entry.push_str(&format!(",[{}]]", ids.join(",")));
            entry
        })
        .collect();
    pages
        .par_chunks(PAGE_CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            packed_file(
                "pages",
                n,
                format!("[{}]", chunk.join(",")).as_bytes(),
                packer,
            )
        })
        .collect()
}

/// Kinds in the page map, by their number there.
pub const MAP_KINDS: [&str; 5] = ["regulation", "checklist", "case", "page", "quiz"];

/// `search/pagemap.js`: for every page, its number of units, its kind and
/// its tag ids, so the search page can count and filter every match
/// without loading the unit files (docs/search-format.md).
pub(super) fn page_map_file(graph: &SiteGraph, tag_ids: &[Vec<usize>]) -> OutputFile {
    let mut bytes = Vec::with_capacity(graph.pages.len() * 4);
    encode::push_varint(&mut bytes, graph.pages.len() as u64);
    for (page, ids) in graph.pages.iter().zip(tag_ids) {
        encode::push_varint(&mut bytes, page.rendered.units.len().max(1) as u64);
        let kind = MAP_KINDS
            .iter()
            .position(|k| *k == page.kind.as_str())
            .unwrap_or(3);
        encode::push_varint(&mut bytes, kind as u64);
        encode::push_varint(&mut bytes, ids.len() as u64);
        for &id in ids {
            encode::push_varint(&mut bytes, id as u64);
        }
    }
    OutputFile {
        path: "search/pagemap.js".into(),
        bytes: js("pagemap", 0, &format!("\"{}\"", encode::pack(&bytes))),
    }
}

/// `search/starts.js`: every page's number of units alone, so the search
/// box can tell which page a unit is in (terms that meet only across a
/// page's units) for a fraction of the page map's bytes.
pub(super) fn unit_counts_file(graph: &SiteGraph) -> OutputFile {
    let mut bytes = Vec::with_capacity(graph.pages.len() * 2);
    encode::push_varint(&mut bytes, graph.pages.len() as u64);
    for page in &graph.pages {
        encode::push_varint(&mut bytes, page.rendered.units.len().max(1) as u64);
    }
    OutputFile {
        path: "search/starts.js".into(),
        bytes: js("starts", 0, &format!("\"{}\"", encode::pack(&bytes))),
    }
}

/// Files the Traditional→Simplified table is split into.
pub const FOLD_SHARDS: usize = 64;

/// The Traditional→Simplified table for the page, from the same source as
/// the build's folding ([`crate::fold::pairs`]), so the two cannot drift;
/// split so that a query loads only the pairs of its own characters: each
/// pair is in the file of its Traditional character (to fold the query)
/// and in that of its Simplified one (to fold, in the texts, every
/// character that becomes one of the query's).
pub(super) fn fold_files(packer: &Packer) -> Vec<OutputFile> {
    let mut shards = vec![String::new(); FOLD_SHARDS];
    for (t, s) in crate::fold::pairs() {
        let (a, b) = (fold_shard(t), fold_shard(s));
        for k in if a == b { vec![a] } else { vec![a, b] } {
            shards[k].push(t);
            shards[k].push(s);
        }
    }
    shards
        .iter()
        .enumerate()
        .map(|(k, pairs)| packed_file("fold", k, pairs.as_bytes(), packer))
        .collect()
}

/// The fold file of a character.
pub fn fold_shard(c: char) -> usize {
    hash_char(c) as usize % FOLD_SHARDS
}

/// Unit figures for `meta.js`.
pub(super) struct Stats {
    pub(super) units: usize,
    pub(super) avg: f64,
}

pub(super) fn meta_file(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    stats: &Stats,
    plan: &ShardPlan,
    synonyms: &Synonyms,
    common: &[(String, usize)],
    build: u64,
) -> OutputFile {
    let tags: Vec<&str> = taxonomies
        .iter()
        .find(|t| t.name == "tags")
        .map(|t| t.terms.iter().map(|term| term.name.as_str()).collect())
        .unwrap_or_default();
    let meta = serde_json::json!({
        "v": 3,
        "build": format!("{build:016x}"),
        "shards": plan.base,
        "split": plan.split.iter().map(|(c, &(start, k))| (c.to_string(), serde_json::json!([start, k]))).collect::<serde_json::Map<_, _>>(),
        "unitChunk": UNIT_CHUNK,
        "pageChunk": PAGE_CHUNK,
        "units": stats.units,
        "pages": graph.pages.len(),
        "avgLength": (stats.avg * 100.0).round() / 100.0,
        "kinds": {"regulation": "条例", "checklist": "清单", "case": "案例", "page": "页面", "quiz": "测验"},
        "tags": tags,
        "synonyms": synonyms.groups,
        "foldShards": FOLD_SHARDS,
        "common": common.iter().map(|(t, n)| serde_json::json!([t, n])).collect::<Vec<_>>(),
    });
    OutputFile {
        path: "search/meta.js".into(),
        bytes: js("meta", 0, &meta.to_string()),
    }
}

/// The index's build id: it changes whenever any of its files does (files
/// hashed in parallel, then their hashes in order).
pub(super) fn build_id(files: &[OutputFile], packer: &Packer) -> u64 {
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|f| crate::hash::of((&f.path, packer.hash(f))))
        .collect();
    crate::hash::of(hashes)
}

/// The first `max_chars` characters of `text`, and "…" if that was not all.
pub(super) fn shorten(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}
