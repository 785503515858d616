//! Which term file each term lives in ([`ShardPlan`]), and the keys terms
//! are counted under while the index is built.

use super::*;

/// How many term shards: about one token per three bytes of (Chinese)
/// text, each costing `BYTES_PER_OCCURRENCE` packed; aim at
/// `SHARD_BYTES` per shard, as a power of two.
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
pub(super) const BYTES_PER_OCCURRENCE: usize = 1;

/// A heavy first character is split into at most this many sub-shards.
pub(super) const MAX_SPLIT: usize = 64;

/// Which file each term lives in. Terms go by their first character (so a
/// one-character query needs the terms starting with it), but in Chinese a
/// few first characters (党, 会, 支 …) carry a large share of all terms: those
/// are split into sub-shards by the term's second character, keeping every
/// file near `SHARD_BYTES` so that a query loads little.
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
pub(super) struct ShardLookup<'p> {
    pub(super) plan: &'p ShardPlan,
    /// Per first character: its shard, or the first of its `k` sub-shards.
    pub(super) first: Vec<(u32, u32)>,
}

impl<'p> ShardLookup<'p> {
    pub(super) fn new(plan: &'p ShardPlan) -> ShardLookup<'p> {
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
    pub(super) fn of(&self, key: Key, term: &str) -> usize {
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
pub(super) struct CharCounts {
    pub(super) common: Vec<usize>,
    pub(super) other: HashMap<char, usize>,
}

pub(super) const COMMON_CJK: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

impl CharCounts {
    pub(super) fn add(&mut self, c: char) {
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

    pub(super) fn merge(mut self, other: CharCounts) -> CharCounts {
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

    pub(super) fn iter(&self) -> impl Iterator<Item = (char, usize)> + '_ {
        let common = self.common.iter().enumerate().filter(|(_, n)| **n > 0);
        common
            .filter_map(|(i, &n)| Some((char::from_u32(COMMON_CJK.start() + i as u32)?, n)))
            .chain(self.other.iter().map(|(&c, &n)| (c, n)))
    }
}

/// FNV-1a of a character's UTF-8, from a table for the common block (this
/// runs for every token of the site).
pub(super) fn hash_char(c: char) -> u32 {
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
pub(super) type Key = u64;

/// A map keyed by [`Key`]s, which are spread already (code points, or a
/// word's 64-bit FNV): a multiply mixes enough, at a fraction of SipHash's
/// cost on the index's hottest loop.
pub(super) type KeyMap<V> = HashMap<Key, V, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub(super) struct KeyHasher(u64);

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

pub(super) fn cjk_key(term: &str) -> Option<Key> {
    let mut chars = term.chars();
    let a = chars.next()?;
    let b = chars.next().map_or(0, |c| c as u64);
    (chars.next().is_none() && normalize::is_cjk(a)).then_some(((a as u64) << 21) | b)
}

pub(super) fn word_key(word: &str) -> Key {
    crate::hash::bytes(word.as_bytes()) | (1 << 63)
}
