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
//!
//! Files: [`normalize`] and [`query`] (shared with the page's runtime, by
//! test vectors), [`synonyms`], `shards` (which file a term lives in),
//! [`encode`] (postings and packing), `files` (every file written), `check`
//! (the self-check), and [`stage`] (the build's search stage and its cache).

pub mod encode;
pub mod normalize;
pub mod query;
pub mod stage;
pub mod synonyms;

mod check;
mod files;
mod shards;

pub use files::{FOLD_SHARDS, MAP_KINDS, PackedFile, Packer, fold_shard};
pub use shards::{ShardPlan, shard_count};

use check::self_check;
use files::*;
use shards::*;

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
    /// The files under `search/`; a data file the output folder already
    /// holds ([`Packer`]) has no bytes.
    pub files: Vec<OutputFile>,
    /// Every data file, by path: what [`Packer::new`] takes next time.
    pub packed: HashMap<String, PackedFile>,
    /// Figures.
    pub stats: IndexStats,
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

/// [`build`], keeping the data files that `packer` knows on disk.
pub fn build_over(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    synonyms: &Synonyms,
    packer: Packer,
) -> Result<SearchIndex, Diagnostic> {
    build_index(graph, taxonomies, synonyms, &|page| page.out_file(), packer)
}

/// [`build`], with each page's URL given by `url` (the single-file
/// edition links to anchors in the file).
pub fn build_with_urls(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    synonyms: &Synonyms,
    url: &(dyn Fn(&crate::graph::Page) -> String + Sync),
) -> Result<SearchIndex, Diagnostic> {
    build_index(graph, taxonomies, synonyms, url, Packer::default())
}

fn build_index(
    graph: &SiteGraph,
    taxonomies: &[Taxonomy],
    synonyms: &Synonyms,
    url: &(dyn Fn(&crate::graph::Page) -> String + Sync),
    packer: Packer,
) -> Result<SearchIndex, Diagnostic> {
    let mut first_unit = Vec::with_capacity(graph.pages.len());
    let mut total_units = 0usize;
    for page in &graph.pages {
        first_unit.push(total_units as u32);
        total_units += page.rendered.units.len().max(1);
    }
    let plan = ShardPlan::new(graph);
    // Each page's facts line: indexed with its opening, and shipped with it.
    let facts: Vec<String> = graph
        .pages
        .par_iter()
        .map(|page| facts(graph, page, taxonomies))
        .collect();
    let (shards, lengths) = postings(graph, &plan, &first_unit, &facts, total_units);
    self_check(graph, &shards, &plan, &first_unit, synonyms)?;
    let avg = if lengths.is_empty() {
        0.0
    } else {
        lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / lengths.len() as f64
    };
    let terms = shards.iter().map(HashMap::len).sum();
    let common = common_terms(&shards, total_units);
    let mut files: Vec<OutputFile> = shards
        .par_iter()
        .enumerate()
        .map(|(s, map)| shard_file(s, map, &packer))
        .collect();
    // The postings are written: their memory goes before the unit files
    // take theirs (the build's peak is here).
    drop(shards);
    files.extend(unit_files(graph, &facts, &lengths, &packer));
    let tag_ids = page_tag_ids(graph, taxonomies);
    files.extend(page_files(graph, &tag_ids, url, &packer));
    files.push(page_map_file(graph, &tag_ids));
    files.push(unit_counts_file(graph));
    files.extend(fold_files(&packer));
    let stats = Stats {
        units: total_units,
        avg,
    };
    let build = build_id(&files, &packer);
    files.push(meta_file(
        graph, taxonomies, &stats, &plan, synonyms, &common, build,
    ));
    let stats = IndexStats {
        units: total_units,
        terms,
        files: files.len(),
        bytes: files.iter().map(|f| packer.len(f) as usize).sum(),
    };
    Ok(SearchIndex {
        files,
        packed: packer.into_made(),
        stats,
    })
}

/// Every term's postings, shard by shard, and every unit's length:
/// pages tokenised in parallel batches, each batch's postings appended
/// to the shards in parallel, so memory stays bounded by the batch.
fn postings(
    graph: &SiteGraph,
    plan: &ShardPlan,
    first_unit: &[u32],
    facts: &[String],
    total_units: usize,
) -> (Vec<KeyMap<Entry>>, Vec<u32>) {
    let lookup = ShardLookup::new(plan);
    let mut shards: Vec<KeyMap<Entry>> = (0..plan.total).map(|_| KeyMap::default()).collect();
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
    (shards, lengths)
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

#[cfg(test)]
mod tests;
