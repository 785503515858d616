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
pub mod query;
pub mod stage;
pub mod synonyms;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::graph::SiteGraph;
use crate::graph::taxonomy::Taxonomy;
use crate::markdown::units::fill_link_texts;
use crate::output::OutputFile;
use encode::Postings;
use synonyms::Synonyms;

/// At most this many term shards; a query loads the shards of its terms
/// only. Fewer for small sites (see [`shard_count`]).
pub const MAX_SHARDS: usize = 4096;
/// Aim for term shards of about this many bytes. A query loads one per
/// character pair it looks up — a question or a titled citation, ten or
/// more — so shards are small: at 32 KB the statute relevance set loaded
/// 277 KB a query (median), at 8 KB 109 KB.
const SHARD_BYTES: usize = 8 * 1024;
/// Units per `units/N.js` file. A result loads its unit's file, so small
/// files keep a query's download small; but compression gains a lot from
/// larger ones (units of one page repeat words): 64 units pack into 22%
/// less than twice 32 on the 10,000-page corpus.
pub const UNIT_CHUNK: usize = 64;
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

/// How many term shards: about one token per three bytes of (Chinese)
/// text, each costing [`BYTES_PER_OCCURRENCE`] packed; aim at
/// [`SHARD_BYTES`] per shard, as a power of two.
pub fn shard_count(graph: &SiteGraph) -> usize {
    let text: usize = graph
        .pages
        .iter()
        .flat_map(|p| &p.rendered.units)
        .map(|u| u.text.len())
        .sum();
    (text / 3 * BYTES_PER_OCCURRENCE / SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// Packed bytes per occurrence of a term, roughly (a varint unit delta,
/// compressed, in base64): used to foresee how large the shards get.
const BYTES_PER_OCCURRENCE: usize = 1;
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
        // Counted in a flat array over the common block (U+4E00–9FFF, where
        // nearly all text is); the rare others in a map.
        let counts = graph
            .pages
            .par_iter()
            .fold(CharCounts::default, |mut counts, page| {
                // What the index reads: labels (第十八条) and titles too.
                let units = page.rendered.units.iter();
                let texts = units.flat_map(|u| [&*u.label, &*u.text]);
                for text in texts.chain([page.meta.title.as_str()]) {
                    for c in text.chars().filter(|&c| normalize::is_cjk(c)) {
                        counts.add(crate::fold::fold_char(c));
                    }
                }
                counts
            })
            .reduce(CharCounts::default, CharCounts::merge);
        let mut heavy: Vec<(char, usize)> = counts
            .iter()
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
            // An article's term (第18条): by the whole term, or every
            // citation term would share the sub-shard of its first digit.
            (Some(&(start, k)), Some(second)) if second.is_ascii_digit() => {
                start + encode::fnv1a32(term.as_bytes()) as usize % k
            }
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

/// [`ShardPlan::of`] as a table over the common CJK block: the shard of
/// every token of the site is looked up here.
struct ShardLookup<'p> {
    plan: &'p ShardPlan,
    /// Per first character: its shard, or the first of its `k` sub-shards.
    first: Vec<(u32, u32)>,
}

impl<'p> ShardLookup<'p> {
    fn new(plan: &'p ShardPlan) -> ShardLookup<'p> {
        let first = COMMON_CJK
            .map(|cp| {
                let c = char::from_u32(cp).unwrap_or('\0');
                match plan.split.get(&c) {
                    Some(&(start, k)) => (start as u32, k as u32),
                    None => ((hash_char(c) as usize % plan.base) as u32, 0),
                }
            })
            .collect();
        ShardLookup { plan, first }
    }

    /// The shard of a term, given as its key too.
    fn of(&self, key: Key, term: &str) -> usize {
        if key >> 63 == 0 {
            let (a, b) = ((key >> 21) as u32, (key & 0x1F_FFFF) as u32);
            if let Some(&(start, k)) = a
                .checked_sub(*COMMON_CJK.start())
                .and_then(|i| self.first.get(i as usize))
            {
                return match (k, char::from_u32(b).filter(|_| b != 0)) {
                    (0, _) | (_, None) => start as usize,
                    (k, Some(second)) => start as usize + hash_char(second) as usize % k as usize,
                };
            }
        }
        self.plan.of(term)
    }
}

/// Occurrences per character.
#[derive(Default)]
struct CharCounts {
    common: Vec<usize>,
    other: HashMap<char, usize>,
}

const COMMON_CJK: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

impl CharCounts {
    fn add(&mut self, c: char) {
        match (c as u32).checked_sub(*COMMON_CJK.start()) {
            Some(i) if c as u32 <= *COMMON_CJK.end() => {
                if self.common.is_empty() {
                    self.common = vec![0; COMMON_CJK.count()];
                }
                self.common[i as usize] += 1;
            }
            _ => *self.other.entry(c).or_default() += 1,
        }
    }

    fn merge(mut self, other: CharCounts) -> CharCounts {
        if self.common.is_empty() {
            self.common = other.common;
        } else {
            for (a, b) in self.common.iter_mut().zip(other.common) {
                *a += b;
            }
        }
        for (c, n) in other.other {
            *self.other.entry(c).or_default() += n;
        }
        self
    }

    fn iter(&self) -> impl Iterator<Item = (char, usize)> + '_ {
        let common = self.common.iter().enumerate().filter(|(_, n)| **n > 0);
        common
            .filter_map(|(i, &n)| Some((char::from_u32(COMMON_CJK.start() + i as u32)?, n)))
            .chain(self.other.iter().map(|(&c, &n)| (c, n)))
    }
}

/// FNV-1a of a character's UTF-8, from a table for the common block (this
/// runs for every token of the site).
fn hash_char(c: char) -> u32 {
    static COMMON: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    fn fnv(c: char) -> u32 {
        let mut buf = [0u8; 4];
        encode::fnv1a32(c.encode_utf8(&mut buf).as_bytes())
    }
    match (c as u32).checked_sub(*COMMON_CJK.start()) {
        Some(i) if c as u32 <= *COMMON_CJK.end() => COMMON
            .get_or_init(|| COMMON_CJK.filter_map(char::from_u32).map(fnv).collect())[i as usize],
        _ => fnv(c),
    }
}

/// A term as a number, so that tokenising allocates nothing per token: one
/// or two CJK characters packed into the low 42 bits, or (top bit set) the
/// hash of a word, whose text the page keeps in `words`.
type Key = u64;

/// A map keyed by [`Key`]s, which are spread already (code points, or a
/// word's 64-bit FNV): a multiply mixes enough, at a fraction of SipHash's
/// cost on the index's hottest loop.
type KeyMap<V> = HashMap<Key, V, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n ^ (n >> 29)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

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

/// One page's units, tokenised: (term, unit) per token, grouped by shard
/// (shard `s` holds `entries[starts[s]..starts[s + 1]]`), in text order
/// within each shard.
struct PageTokens {
    entries: Vec<(Key, u32)>,
    starts: Vec<u32>,
    words: HashMap<Key, Box<str>>,
    lengths: Vec<u32>,
}

/// A term's postings in a shard, and its text.
struct Entry {
    term: Box<str>,
    postings: Postings,
}

/// Builds the index of every page.
pub fn build(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    synonyms: &Synonyms,
) -> Result<SearchIndex, Diagnostic> {
    build_with_urls(graph, taxonomies, synonyms, &|page| page.out_file())
}

/// [`build`], with each page's URL given by `url` (the single-file
/// edition links to anchors in the file).
pub fn build_with_urls(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    synonyms: &Synonyms,
    url: &(dyn Fn(&crate::graph::Page) -> String + Sync),
) -> Result<SearchIndex, Diagnostic> {
    let mut first_unit = Vec::with_capacity(graph.pages.len());
    let mut total_units = 0usize;
    for page in &graph.pages {
        first_unit.push(total_units as u32);
        total_units += page.rendered.units.len().max(1);
    }
    let plan = ShardPlan::new(graph);
    let lookup = ShardLookup::new(&plan);
    // Each page's facts line: indexed with its opening, and shipped with it.
    let facts: Vec<String> = graph
        .pages
        .par_iter()
        .map(|page| facts(graph, page, taxonomies))
        .collect();
    let shard_total = plan.total;
    let mut shards: Vec<KeyMap<Entry>> = (0..shard_total).map(|_| KeyMap::default()).collect();
    let mut lengths: Vec<u32> = Vec::with_capacity(total_units);
    for batch_start in (0..graph.pages.len()).step_by(BATCH) {
        let batch_end = (batch_start + BATCH).min(graph.pages.len());
        let tokens: Vec<PageTokens> = (batch_start..batch_end)
            .into_par_iter()
            .map(|p| tokenize_page(graph, p, first_unit[p], &lookup, &facts[p]))
            .collect();
        // Each shard takes its slice of every page, in page order: units
        // arrive in increasing order, as postings want them.
        shards.par_iter_mut().enumerate().for_each(|(s, map)| {
            for page in &tokens {
                let slice = &page.entries[page.starts[s] as usize..page.starts[s + 1] as usize];
                append(map, slice, &page.words);
            }
        });
        lengths.extend(tokens.iter().flat_map(|t| t.lengths.iter().copied()));
    }
    shards
        .par_iter_mut()
        .for_each(|map| map.values_mut().for_each(|e| e.postings.finish()));
    self_check(graph, &shards, &plan, &first_unit, synonyms)?;
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
    files.extend(unit_files(graph, &facts, &lengths));
    let tag_ids = page_tag_ids(graph, taxonomies);
    files.extend(page_files(graph, &tag_ids, url));
    files.push(page_map_file(graph, &tag_ids));
    files.push(unit_counts_file(graph));
    files.extend(fold_files());
    let common = common_terms(&shards, total_units);
    files.push(meta_file(
        graph,
        taxonomies,
        &Stats {
            units: total_units,
            avg,
        },
        &plan,
        synonyms,
        &common,
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

/// The text the index reads for unit `u` of a page, as the runtime
/// rebuilds it from the unit file: a page's opening is its title, its
/// facts line and its text; a heading or article unit is its label and
/// its text (docs/search-format.md, "Units").
pub fn indexed_text(title: &str, facts: &str, label: &str, text: &str, opening: bool) -> String {
    if opening {
        format!("{title}\n{facts}\n{text}")
    } else {
        format!("{label}\n{text}")
    }
}

/// What the page shows about itself besides its body, for search: its
/// section, tags and other taxonomy terms, and the front matter its
/// template shows (issuer, meeting, participants, organisation …), one
/// line, values separated by ` · `.
pub fn facts(graph: &SiteGraph, page: &crate::graph::Page, taxonomies: &[Taxonomy]) -> String {
    let meta = &page.meta;
    let mut parts: Vec<&str> = Vec::new();
    if let Some(section) = graph
        .sections
        .get(page.section)
        .filter(|s| s.source.is_some() && !s.dir.is_empty())
    {
        parts.push(&section.meta.title);
    }
    for value in [
        &meta.issuer,
        &meta.meeting,
        &meta.frequency,
        &meta.participants,
        &meta.duration,
        &meta.organisation,
    ]
    .into_iter()
    .flatten()
    {
        parts.push(value);
    }
    // Taxonomy terms in the spelling the site shows.
    for taxonomy in taxonomies {
        let values: &[String] = match taxonomy.name.as_str() {
            "tags" => &meta.tags,
            "problems" => &meta.problems,
            name => meta.taxonomies.get(name).map_or(&[], Vec::as_slice),
        };
        for v in values {
            parts.push(taxonomy.term(v).map_or(v.as_str(), |t| t.name.as_str()));
        }
    }
    parts.join(" · ")
}

fn tokenize_page(
    graph: &SiteGraph,
    p: usize,
    first_unit: u32,
    plan: &ShardLookup<'_>,
    facts: &str,
) -> PageTokens {
    let page = &graph.pages[p];
    let units = &page.rendered.units;
    // About one token per character of text: size the vector once.
    let chars: usize =
        units.iter().map(|u| u.text.len() / 3).sum::<usize>() + page.meta.title.len();
    let mut entries = Vec::with_capacity(chars);
    let mut shard_of = Vec::with_capacity(chars);
    let mut words = HashMap::new();
    let mut lengths = Vec::with_capacity(units.len().max(1));
    for u in 0..units.len().max(1) {
        let unit = first_unit + u as u32;
        let (label, text) = units.get(u).map_or(("", ""), |x| (&*x.label, &*x.text));
        let text = indexed_text(
            &page.meta.title,
            facts,
            label,
            &fill_link_texts(text, &page.link_texts),
            u == 0,
        );
        let mut count = 0u32;
        let mut add = |term: &str| {
            let key = cjk_key(term).unwrap_or_else(|| {
                let key = word_key(term);
                words.entry(key).or_insert_with(|| Box::from(term));
                key
            });
            entries.push((key, unit));
            shard_of.push(plan.of(key, term) as u32);
        };
        normalize::scan(&normalize::normalize(&text), |term, pos| {
            add(term);
            count = pos + 1;
        });
        // An article's own term, for citations (not counted in its length).
        if let Some(r) = units.get(u).and_then(|x| x.article) {
            add(&query::article_term(r));
        }
        lengths.push(count);
    }
    // A counting sort by shard: stable, so each shard keeps text order.
    let total = plan.plan.total;
    let mut starts = vec![0u32; total + 1];
    for &s in &shard_of {
        starts[s as usize + 1] += 1;
    }
    for s in 0..total {
        starts[s + 1] += starts[s];
    }
    let mut next = starts.clone();
    let mut sorted = vec![(0, 0); entries.len()];
    for (entry, &s) in entries.into_iter().zip(&shard_of) {
        sorted[next[s as usize] as usize] = entry;
        next[s as usize] += 1;
    }
    PageTokens {
        entries: sorted,
        starts,
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

/// Appends a page's (term, unit) tokens of one shard to its postings.
fn append(map: &mut KeyMap<Entry>, entries: &[(Key, u32)], words: &HashMap<Key, Box<str>>) {
    for &(key, unit) in entries {
        map.entry(key)
            .or_insert_with(|| Entry {
                term: key_text(key, words),
                postings: Postings::default(),
            })
            .postings
            .occur(unit);
    }
}

/// Runs queries through the query parser and the index, as the page
/// would: a sample of page titles must find their page's first unit, and
/// a sample of article citations (`《title》第N条`) their article. Catches an
/// index and a query path that disagree (MkDocs' silent failure).
fn self_check(
    graph: &SiteGraph,
    shards: &[KeyMap<Entry>],
    plan: &ShardPlan,
    first_unit: &[u32],
    synonyms: &Synonyms,
) -> Result<(), Diagnostic> {
    let holds = |unit: u32, t: &normalize::QueryToken| {
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
    };
    // Every term, in some form, in one of the page's units.
    let finds = |query: &str, units: std::ops::Range<u32>| {
        let parsed = query::parse(query, synonyms);
        !parsed.terms.is_empty()
            && parsed.terms.iter().all(|term| {
                units.clone().any(|unit| {
                    term.forms
                        .iter()
                        .any(|f| f.tokens.iter().all(|t| holds(unit, t)))
                })
            })
    };
    let step = (graph.pages.len() / 12).max(1);
    for p in (0..graph.pages.len()).step_by(step) {
        let page = &graph.pages[p];
        let title = &page.meta.title;
        let unit = first_unit[p];
        // A title of nothing searchable (punctuation only) is not checked.
        if !query::parse(title, synonyms).terms.is_empty() && !finds(title, unit..unit + 1) {
            return Err(self_check_error(page, title));
        }
        // The page's first article, cited with the page's title and alone.
        let Some((u, r)) = page
            .rendered
            .units
            .iter()
            .enumerate()
            .find_map(|(u, x)| x.article.map(|r| (u, r)))
        else {
            continue;
        };
        let citation = format!("《{title}》{}", r.id());
        let at = unit + u as u32;
        if !finds(&citation, unit..at + 1) || !finds(&r.id(), at..at + 1) {
            return Err(self_check_error(page, &citation));
        }
    }
    Ok(())
}

fn self_check_error(page: &crate::graph::Page, query: &str) -> Diagnostic {
    Diagnostic::error(
        format!("content/{}", page.source),
        format!("search self-check: the query \"{query}\" would not find this page"),
    )
    .with_hint("this is a bug in zhiku's search index; please report it with this page")
}

/// The commonest terms (in more than 2% of units), most common first, at
/// most 256: the search box leaves them out of a form's look-up while
/// rarer tokens remain (they pick few candidates and cost whole files).
fn common_terms(shards: &[KeyMap<Entry>], units: usize) -> Vec<(String, usize)> {
    let floor = (units / 50).max(50);
    let mut common: Vec<(String, usize)> = shards
        .iter()
        .flat_map(|m| m.values())
        .filter(|e| e.postings.len() > floor)
        .map(|e| (e.term.to_string(), e.postings.len()))
        .collect();
    common.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    common.truncate(256);
    common
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

fn shard_file(s: usize, map: &KeyMap<Entry>) -> OutputFile {
    let mut terms: Vec<(&str, &Postings)> = map.values().map(|e| (&*e.term, &e.postings)).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    OutputFile {
        path: format!("search/terms/{s}.js"),
        bytes: js(
            "terms",
            s,
            &format!("\"{}\"", encode::pack_at(&encode::shard_bytes(&terms), 1)),
        ),
    }
}

/// A data file whose payload is `bytes` packed ([`encode::pack`]).
fn packed_file(kind: &str, id: usize, bytes: &[u8]) -> OutputFile {
    OutputFile {
        path: format!("search/{kind}/{id}.js"),
        bytes: js(kind, id, &format!("\"{}\"", encode::pack(bytes))),
    }
}

/// Appends `value` as a JSON string literal, escaped as serde_json would
/// (without allocating a string per value: this runs for every unit).
fn json_str(out: &mut String, value: &str) {
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

fn unit_files(graph: &SiteGraph, facts: &[String], lengths: &[u32]) -> Vec<OutputFile> {
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
            packed_file("units", n, json.as_bytes())
        })
        .collect()
}

/// Each page's tag ids: indices into `meta.tags` (the tags taxonomy's terms).
fn page_tag_ids(graph: &SiteGraph, taxonomies: &[Taxonomy]) -> Vec<Vec<usize>> {
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

fn page_files(
    graph: &SiteGraph,
    tag_ids: &[Vec<usize>],
    url: &(dyn Fn(&crate::graph::Page) -> String + Sync),
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
        .map(|(n, chunk)| packed_file("pages", n, format!("[{}]", chunk.join(",")).as_bytes()))
        .collect()
}

/// Kinds in the page map, by their number there.
pub const MAP_KINDS: [&str; 4] = ["regulation", "checklist", "case", "page"];

/// `search/pagemap.js`: for every page, its number of units, its kind and
/// its tag ids, so the search page can count and filter every match
/// without loading the unit files (docs/search-format.md).
fn page_map_file(graph: &SiteGraph, tag_ids: &[Vec<usize>]) -> OutputFile {
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
fn unit_counts_file(graph: &SiteGraph) -> OutputFile {
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
fn fold_files() -> Vec<OutputFile> {
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
        .map(|(k, pairs)| packed_file("fold", k, pairs.as_bytes()))
        .collect()
}

/// The fold file of a character.
pub fn fold_shard(c: char) -> usize {
    hash_char(c) as usize % FOLD_SHARDS
}

/// Unit figures for `meta.js`.
struct Stats {
    units: usize,
    avg: f64,
}

fn meta_file(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    stats: &Stats,
    plan: &ShardPlan,
    synonyms: &Synonyms,
    common: &[(String, usize)],
    files: &[OutputFile],
) -> OutputFile {
    let tags: Vec<&str> = taxonomies
        .iter()
        .find(|t| t.name == "tags")
        .map(|t| t.terms.iter().map(|term| term.name.as_str()).collect())
        .unwrap_or_default();
    // The build id changes whenever any index file changes (files hashed
    // in parallel, then their hashes in order).
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|f| {
            let mut h = encode::Fnv64::default();
            h.write(f.path.as_bytes());
            h.write(&f.bytes);
            h.finish()
        })
        .collect();
    let mut hash = encode::Fnv64::default();
    for h in hashes {
        hash.write(&h.to_le_bytes());
    }
    let meta = serde_json::json!({
        "v": 3,
        "build": format!("{:016x}", hash.finish()),
        "shards": plan.base,
        "split": plan.split.iter().map(|(c, &(start, k))| (c.to_string(), serde_json::json!([start, k]))).collect::<serde_json::Map<_, _>>(),
        "unitChunk": UNIT_CHUNK,
        "pageChunk": PAGE_CHUNK,
        "units": stats.units,
        "pages": graph.pages.len(),
        "avgLength": (stats.avg * 100.0).round() / 100.0,
        "kinds": {"regulation": "条例", "checklist": "清单", "case": "案例", "page": "页面"},
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

/// The first `max_chars` characters of `text`, and "…" if that was not all.
fn shorten(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests;
