//! The search index: built from the site graph alone, written as sharded
//! JavaScript data files that the theme's `assets/search.js` loads lazily
//! with `<script>` tags (so search works from `file://`). The format is
//! documented in `docs/search-format.md`.
//!
//! 1. Every page's text units (opening, headings, articles) get global ids;
//!    unit 0 of a page starts with its title.
//! 2. Pages are tokenised in parallel batches ([`normalize`]); each batch's
//!    postings are appended shard by shard, in parallel, to per-shard maps
//!    of encoded postings — memory stays bounded by the batch, not the site.
//! 3. The shards, unit and page tables, texts and the fold table are
//!    written as `search/*.js`.
//! 4. A self-check runs queries made from some page titles through the same
//!    normaliser and fails the build if they would not find their page.

pub mod encode;
pub mod normalize;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::graph::SiteGraph;
use crate::graph::taxonomy::Taxonomy;
use crate::render::OutputFile;
use encode::Postings;

/// At most this many term shards; a query loads the shards of its terms
/// only. Fewer for small sites (see [`shard_count`]).
pub const MAX_SHARDS: usize = 1024;
/// Aim for term shards of about this many bytes (a query loads 2–4).
const SHARD_BYTES: usize = 32 * 1024;
/// Units per `units/N.js` and `text/N.js` file: a result loads one of each,
/// so small chunks keep a query's download small.
pub const UNIT_CHUNK: usize = 32;
/// Pages per `pages/N.js` file.
pub const PAGE_CHUNK: usize = 64;
/// Unit text kept for snippets, in characters.
const TEXT_CHARS: usize = 400;
/// Pages tokenised at once (bounds memory).
const BATCH: usize = 1024;

/// What the index holds, for the build report and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Text units.
    pub units: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Files written under `search/`.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: usize,
}

/// The written index.
#[derive(Debug)]
pub struct SearchIndex {
    /// The files under `search/`.
    pub files: Vec<OutputFile>,
    /// Figures.
    pub stats: IndexStats,
}

/// How many term shards: postings are about as large as the text, so aim
/// at [`SHARD_BYTES`] of text per shard, as a power of two.
pub fn shard_count(graph: &SiteGraph) -> usize {
    let text: usize = graph
        .pages
        .iter()
        .flat_map(|p| &p.rendered.units)
        .map(|u| u.text.len())
        .sum();
    (text / SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// Encoded bytes per occurrence of a term, roughly (unit delta, count and
/// position digits): used to foresee how large a character's terms get.
const BYTES_PER_OCCURRENCE: usize = 3;
/// A heavy first character is split into at most this many sub-shards.
const MAX_SPLIT: usize = 64;

/// Which file each term lives in. Terms go by their first character (so a
/// one-character query needs the terms starting with it), but in Chinese a
/// few first characters (党, 会, 支 …) carry a large share of all terms: those
/// are split into sub-shards by the term's second character, keeping every
/// file near [`SHARD_BYTES`] so that a query loads little.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardPlan {
    /// Base shards, by the first character's hash.
    pub base: usize,
    /// Heavy first characters: (first sub-shard, number of sub-shards).
    pub split: std::collections::BTreeMap<char, (usize, usize)>,
    /// Shard files in all.
    pub total: usize,
}

impl ShardPlan {
    /// Plans the shards of a site from how often each character occurs.
    pub fn new(graph: &SiteGraph) -> ShardPlan {
        let base = shard_count(graph);
        let counts = graph
            .pages
            .par_iter()
            .map(|page| {
                let mut counts: HashMap<char, usize> = HashMap::new();
                for unit in &page.rendered.units {
                    for c in unit.text.chars().filter(|&c| normalize::is_cjk(c)) {
                        *counts.entry(crate::fold::fold_char(c)).or_default() += 1;
                    }
                }
                counts
            })
            .reduce(HashMap::new, |mut a, b| {
                for (c, n) in b {
                    *a.entry(c).or_default() += n;
                }
                a
            });
        let mut heavy: Vec<(char, usize)> = counts
            .into_iter()
            .map(|(c, n)| (c, n * BYTES_PER_OCCURRENCE))
            .filter(|&(_, bytes)| bytes > 2 * SHARD_BYTES)
            .collect();
        heavy.sort_unstable();
        let mut plan = ShardPlan {
            base,
            split: Default::default(),
            total: base,
        };
        for (c, bytes) in heavy {
            let k = bytes
                .div_ceil(SHARD_BYTES)
                .next_power_of_two()
                .min(MAX_SPLIT);
            plan.split.insert(c, (plan.total, k));
            plan.total += k;
        }
        plan
    }

    /// Reads the plan back from `meta.js`'s payload (`shards`, `split`).
    pub fn from_meta(meta: &serde_json::Value) -> ShardPlan {
        let base = meta["shards"].as_u64().unwrap_or(1) as usize;
        let mut plan = ShardPlan {
            base,
            split: Default::default(),
            total: base,
        };
        if let Some(split) = meta["split"].as_object() {
            for (c, v) in split {
                if let (Some(c), Some(start), Some(k)) =
                    (c.chars().next(), v[0].as_u64(), v[1].as_u64())
                {
                    plan.split.insert(c, (start as usize, k as usize));
                    plan.total = plan.total.max((start + k) as usize);
                }
            }
        }
        plan
    }

    /// The shard of a term.
    pub fn of(&self, term: &str) -> usize {
        let mut chars = term.chars();
        let Some(first) = chars.next() else { return 0 };
        match (self.split.get(&first), chars.next()) {
            (Some(&(start, k)), Some(second)) => start + hash_char(second) as usize % k,
            (Some(&(start, _)), None) => start,
            (None, _) => hash_char(first) as usize % self.base,
        }
    }

    /// The shards holding every term that starts with `prefix`.
    pub fn for_prefix(&self, prefix: &str) -> Vec<usize> {
        let mut chars = prefix.chars();
        match (chars.next().and_then(|c| self.split.get(&c)), chars.next()) {
            (Some(&(start, k)), None) => (start..start + k).collect(),
            _ => vec![self.of(prefix)],
        }
    }
}

fn hash_char(c: char) -> u32 {
    let mut buf = [0u8; 4];
    encode::fnv1a32(c.encode_utf8(&mut buf).as_bytes())
}

/// A term as a number, so that tokenising allocates nothing per token: one
/// or two CJK characters packed into the low 42 bits, or (top bit set) the
/// hash of a word, whose text the page keeps in `words`.
type Key = u64;

fn cjk_key(term: &str) -> Option<Key> {
    let mut chars = term.chars();
    let a = chars.next()?;
    let b = chars.next().map_or(0, |c| c as u64);
    (chars.next().is_none() && normalize::is_cjk(a)).then_some(((a as u64) << 21) | b)
}

fn word_key(word: &str) -> Key {
    let mut h = encode::Fnv64::default();
    h.write(word.as_bytes());
    h.finish() | (1 << 63)
}

/// One page's units, tokenised: (shard, term, unit, position), sorted.
struct PageTokens {
    entries: Vec<(u16, Key, u32, u32)>,
    words: HashMap<Key, Box<str>>,
    lengths: Vec<u32>,
}

/// A term's postings in a shard, and its text.
struct Entry {
    term: Box<str>,
    postings: Postings,
}

/// Builds the index of every page.
pub fn build(graph: &SiteGraph, taxonomies: &[Taxonomy]) -> Result<SearchIndex, Diagnostic> {
    let mut first_unit = Vec::with_capacity(graph.pages.len());
    let mut total_units = 0usize;
    for page in &graph.pages {
        first_unit.push(total_units as u32);
        total_units += page.rendered.units.len().max(1);
    }
    let plan = ShardPlan::new(graph);
    let shard_total = plan.total;
    let mut shards: Vec<HashMap<Key, Entry>> = (0..shard_total).map(|_| HashMap::new()).collect();
    let mut lengths: Vec<u32> = Vec::with_capacity(total_units);
    for batch_start in (0..graph.pages.len()).step_by(BATCH) {
        let batch_end = (batch_start + BATCH).min(graph.pages.len());
        let tokens: Vec<PageTokens> = (batch_start..batch_end)
            .into_par_iter()
            .map(|p| tokenize_page(graph, p, first_unit[p], &plan))
            .collect();
        // One pass over each page hands every shard its slices (entries
        // are sorted by shard), instead of every shard searching every page.
        let mut slices: Vec<Vec<(usize, std::ops::Range<usize>)>> = vec![Vec::new(); shard_total];
        for (t, page) in tokens.iter().enumerate() {
            let mut start = 0;
            while start < page.entries.len() {
                let shard = page.entries[start].0;
                let len = page.entries[start..]
                    .iter()
                    .take_while(|e| e.0 == shard)
                    .count();
                slices[shard as usize].push((t, start..start + len));
                start += len;
            }
        }
        shards.par_iter_mut().zip(slices).for_each(|(map, slices)| {
            for (t, range) in slices {
                append(map, &tokens[t].entries[range], &tokens[t].words);
            }
        });
        lengths.extend(tokens.iter().flat_map(|t| t.lengths.iter().copied()));
    }
    self_check(graph, &shards, &plan, &first_unit)?;
    let avg = if lengths.is_empty() {
        0.0
    } else {
        lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / lengths.len() as f64
    };
    let terms = shards.iter().map(HashMap::len).sum();
    let mut files = Vec::new();
    files.extend(
        shards
            .par_iter()
            .enumerate()
            .map(|(s, map)| shard_file(s, map))
            .collect::<Vec<_>>(),
    );
    files.extend(unit_files(graph, &lengths));
    files.extend(page_files(graph, taxonomies));
    files.push(fold_file());
    files.push(meta_file(
        graph,
        taxonomies,
        total_units,
        avg,
        &plan,
        &files,
    ));
    let stats = IndexStats {
        units: total_units,
        terms,
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len()).sum(),
    };
    Ok(SearchIndex { files, stats })
}

fn tokenize_page(graph: &SiteGraph, p: usize, first_unit: u32, plan: &ShardPlan) -> PageTokens {
    let page = &graph.pages[p];
    let units = &page.rendered.units;
    // About one token per character of text: size the vector once.
    let chars: usize =
        units.iter().map(|u| u.text.len() / 3).sum::<usize>() + page.meta.title.len();
    let mut entries = Vec::with_capacity(chars);
    let mut words = HashMap::new();
    let mut lengths = Vec::with_capacity(units.len().max(1));
    for u in 0..units.len().max(1) {
        let unit = first_unit + u as u32;
        let mut text = String::new();
        if u == 0 {
            text.push_str(&page.meta.title);
            text.push('\n');
        }
        if let Some(unit_text) = units.get(u) {
            text.push_str(&unit_text.text);
        }
        let mut count = 0u32;
        normalize::scan(&normalize::normalize(&text), |term, pos| {
            let key = cjk_key(term).unwrap_or_else(|| {
                let key = word_key(term);
                words.entry(key).or_insert_with(|| Box::from(term));
                key
            });
            entries.push((plan.of(term) as u16, key, unit, pos));
            count = pos + 1;
        });
        lengths.push(count);
    }
    entries.sort_unstable();
    PageTokens {
        entries,
        words,
        lengths,
    }
}

fn key_text(key: Key, words: &HashMap<Key, Box<str>>) -> Box<str> {
    if key >> 63 == 1 {
        return words.get(&key).cloned().unwrap_or_default();
    }
    let chars = [(key >> 21) as u32, (key & 0x1F_FFFF) as u32];
    chars
        .iter()
        .filter(|&&c| c != 0)
        .filter_map(|&c| char::from_u32(c))
        .collect::<String>()
        .into_boxed_str()
}

/// Appends a page's sorted (shard, term, unit, position) entries of one
/// shard to its postings.
fn append(
    map: &mut HashMap<Key, Entry>,
    entries: &[(u16, Key, u32, u32)],
    words: &HashMap<Key, Box<str>>,
) {
    let mut i = 0;
    while i < entries.len() {
        let (_, key, unit, _) = entries[i];
        let run = entries[i..]
            .iter()
            .take_while(|e| e.1 == key && e.2 == unit)
            .count();
        let positions = entries[i..i + run].iter().map(|e| e.3);
        map.entry(key)
            .or_insert_with(|| Entry {
                term: key_text(key, words),
                postings: Postings::default(),
            })
            .postings
            .push(unit, positions);
        i += run;
    }
}

/// Runs queries made from a sample of page titles through the normaliser
/// and the index: each must find its page's first unit. Catches an index
/// and a query path that disagree (MkDocs' silent failure).
fn self_check(
    graph: &SiteGraph,
    shards: &[HashMap<Key, Entry>],
    plan: &ShardPlan,
    first_unit: &[u32],
) -> Result<(), Diagnostic> {
    let step = (graph.pages.len() / 12).max(1);
    for p in (0..graph.pages.len()).step_by(step) {
        let title = &graph.pages[p].meta.title;
        let tokens = normalize::query_tokens(title);
        if tokens.is_empty() {
            continue;
        }
        let unit = first_unit[p];
        let found = tokens.iter().all(|t| {
            if t.prefix {
                plan.for_prefix(&t.term).into_iter().any(|s| {
                    shards[s]
                        .values()
                        .any(|e| e.term.starts_with(t.term.as_str()) && e.postings.contains(unit))
                })
            } else {
                let key = cjk_key(&t.term).unwrap_or_else(|| word_key(&t.term));
                shards[plan.of(&t.term)]
                    .get(&key)
                    .is_some_and(|e| e.postings.contains(unit))
            }
        });
        if !found {
            return Err(Diagnostic::error(
                format!("content/{}", graph.pages[p].source),
                format!("search self-check: the query \"{title}\" would not find this page"),
            )
            .with_hint("this is a bug in zhiku's search index; please report it with this page"));
        }
    }
    Ok(())
}

fn js(kind: &str, id: usize, payload: &str) -> Vec<u8> {
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

fn shard_file(s: usize, map: &HashMap<Key, Entry>) -> OutputFile {
    let mut terms: Vec<(&Box<str>, &Postings)> =
        map.values().map(|e| (&e.term, &e.postings)).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from("{");
    for (i, (term, postings)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&**term).unwrap_or_default());
        out.push_str(":\"");
        out.push_str(postings.as_str());
        out.push('"');
    }
    out.push('}');
    OutputFile {
        path: format!("search/terms/{s}.js"),
        bytes: js("terms", s, &out),
    }
}

/// `value` as a JSON string literal.
fn json_str(out: &mut String, value: &str) {
    // Serialising a &str to JSON cannot fail.
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
}

fn unit_files(graph: &SiteGraph, lengths: &[u32]) -> Vec<OutputFile> {
    // Written by hand: 100,000+ units as serde_json values would allocate
    // a tree per unit for nothing.
    let mut units: Vec<String> = Vec::with_capacity(lengths.len());
    let mut texts: Vec<String> = Vec::with_capacity(lengths.len());
    for (p, page) in graph.pages.iter().enumerate() {
        let list = &page.rendered.units;
        for u in 0..list.len().max(1) {
            let unit = list.get(u);
            let len = lengths.get(units.len()).copied().unwrap_or(0);
            let mut entry = format!("[{p},");
            json_str(&mut entry, unit.map_or("", |x| x.anchor.as_str()));
            entry.push(',');
            json_str(&mut entry, unit.map_or("", |x| x.label.as_str()));
            entry.push_str(&format!(",{len}]"));
            units.push(entry);
            let mut text = String::new();
            json_str(
                &mut text,
                &shorten(unit.map_or("", |x| x.text.as_str()), TEXT_CHARS),
            );
            texts.push(text);
        }
    }
    let mut files = Vec::new();
    for (n, chunk) in units.chunks(UNIT_CHUNK).enumerate() {
        files.push(OutputFile {
            path: format!("search/units/{n}.js"),
            bytes: js("units", n, &format!("[{}]", chunk.join(","))),
        });
    }
    for (n, chunk) in texts.chunks(UNIT_CHUNK).enumerate() {
        files.push(OutputFile {
            path: format!("search/text/{n}.js"),
            bytes: js("text", n, &format!("[{}]", chunk.join(","))),
        });
    }
    files
}

fn page_files(graph: &SiteGraph, taxonomies: &[Taxonomy]) -> Vec<OutputFile> {
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
    let pages: Vec<String> = graph
        .pages
        .iter()
        .map(|page| {
            let tag_ids: Vec<String> = page
                .meta
                .tags
                .iter()
                .filter_map(|v| {
                    tags.and_then(|t| t.term(v))
                        .and_then(|term| tag_index.get(term.slug.as_str()))
                })
                .map(ToString::to_string)
                .collect();
            let mut entry = String::from("[");
            json_str(&mut entry, &page.meta.title);
            entry.push(',');
            json_str(&mut entry, &page.out_file());
            entry.push(',');
            json_str(&mut entry, page.kind.as_str());
            entry.push_str(&format!(",[{}]]", tag_ids.join(",")));
            entry
        })
        .collect();
    pages
        .chunks(PAGE_CHUNK)
        .enumerate()
        .map(|(n, chunk)| OutputFile {
            path: format!("search/pages/{n}.js"),
            bytes: js("pages", n, &format!("[{}]", chunk.join(","))),
        })
        .collect()
}

/// The Traditional→Simplified table for the page, from the same source as
/// the build's folding ([`crate::fold::pairs`]), so the two cannot drift.
fn fold_file() -> OutputFile {
    let pairs: String = crate::fold::pairs().flat_map(|(t, s)| [t, s]).collect();
    OutputFile {
        path: "search/fold.js".into(),
        bytes: js(
            "fold",
            0,
            &serde_json::to_string(&pairs).unwrap_or_default(),
        ),
    }
}

fn meta_file(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    units: usize,
    avg: f64,
    plan: &ShardPlan,
    files: &[OutputFile],
) -> OutputFile {
    let tags: Vec<&str> = taxonomies
        .iter()
        .find(|t| t.name == "tags")
        .map(|t| t.terms.iter().map(|term| term.name.as_str()).collect())
        .unwrap_or_default();
    // The build id changes whenever any index file changes.
    let mut hash = encode::Fnv64::default();
    for f in files {
        hash.write(f.path.as_bytes());
        hash.write(&f.bytes);
    }
    let meta = serde_json::json!({
        "v": 1,
        "build": format!("{:016x}", hash.finish()),
        "shards": plan.base,
        "split": plan.split.iter().map(|(c, &(start, k))| (c.to_string(), serde_json::json!([start, k]))).collect::<serde_json::Map<_, _>>(),
        "unitChunk": UNIT_CHUNK,
        "pageChunk": PAGE_CHUNK,
        "units": units,
        "pages": graph.pages.len(),
        "avgLength": (avg * 100.0).round() / 100.0,
        "kinds": {"regulation": "条例", "checklist": "清单", "case": "案例", "page": "页面"},
        "tags": tags,
    });
    OutputFile {
        path: "search/meta.js".into(),
        bytes: js("meta", 0, &meta.to_string()),
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
