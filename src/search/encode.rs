//! The index's encodings, as the page decodes them (docs/search-format.md):
//! postings as LEB128 varints, shard files as a binary directory, and data
//! payloads as base64 of zlib-compressed bytes ([`pack`]).

use std::fmt;

/// A term's postings: for each unit, `delta << 1 | (count > 1)`, then
/// `count - 2` when the count is above one. No positions: the page checks
/// phrases on the text of the units it ranks, which it loads anyway.
#[derive(Debug, Clone, Default)]
pub struct Postings {
    bytes: Vec<u8>,
    last_unit: Option<u32>,
    units: u32,
    /// The unit being counted by [`Postings::occur`], and its count so far.
    pending: Option<(u32, u32)>,
}

impl Postings {
    /// Counts one occurrence in `unit`, which is the last unit counted or a
    /// later one; [`Postings::finish`] writes the last.
    pub fn occur(&mut self, unit: u32) {
        match &mut self.pending {
            Some((u, count)) if *u == unit => *count += 1,
            pending => {
                if let Some((u, count)) = pending.replace((unit, 1)) {
                    self.push(u, count);
                }
            }
        }
    }

    /// Writes the unit [`Postings::occur`] was counting.
    pub fn finish(&mut self) {
        if let Some((u, count)) = self.pending.take() {
            self.push(u, count);
        }
    }

    /// Appends one unit (ids must increase) where the term occurs `count`
    /// (≥ 1) times.
    pub fn push(&mut self, unit: u32, count: u32) {
        let delta = self.last_unit.map_or(unit, |last| unit - last);
        let many = count > 1;
        push_varint(&mut self.bytes, (u64::from(delta) << 1) | u64::from(many));
        if many {
            push_varint(&mut self.bytes, u64::from(count - 2));
        }
        self.last_unit = Some(unit);
        self.units += 1;
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.units as usize
    }

    /// Whether no unit was pushed.
    pub fn is_empty(&self) -> bool {
        self.units == 0
    }

    /// Whether `unit` is in the list; stops at the first larger unit.
    pub fn contains(&self, unit: u32) -> bool {
        decode_iter(&self.bytes)
            .find(|&(u, _)| u >= unit)
            .is_some_and(|(u, _)| u == unit)
    }
}

/// Appends `n` as a LEB128 varint: 7 bits per byte, least significant
/// first, the high bit set on every byte but the last.
pub fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint at `*at`, advancing it; `None` at the end or on a
/// truncated number.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn decode_iter(bytes: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut at = 0;
    let mut unit = 0u32;
    std::iter::from_fn(move || {
        let head = read_varint(bytes, &mut at)?;
        let count = if head & 1 == 1 {
            read_varint(bytes, &mut at)? as u32 + 2
        } else {
            1
        };
        unit += (head >> 1) as u32;
        Some((unit, count))
    })
}

/// Decodes postings into (unit, count) pairs.
pub fn decode(bytes: &[u8]) -> Vec<(u32, u32)> {
    decode_iter(bytes).collect()
}

/// A shard file's bytes (before [`pack`]): the number of terms, then per
/// term (sorted) its UTF-8 length, its bytes and its postings' length, then
/// every term's postings in the same order.
pub fn shard_bytes(terms: &[(&str, &Postings)]) -> Vec<u8> {
    let size: usize = terms.iter().map(|(t, p)| t.len() + p.bytes.len() + 6).sum();
    let mut out = Vec::with_capacity(size + 4);
    push_varint(&mut out, terms.len() as u64);
    for (term, postings) in terms {
        push_varint(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        push_varint(&mut out, postings.bytes.len() as u64);
    }
    for (_, postings) in terms {
        out.extend_from_slice(&postings.bytes);
    }
    out
}

/// A malformed index file (in the benchmark's and tests' readers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(&'static str);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed search index data: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

/// Reads [`shard_bytes`] back: (term, postings bytes) pairs.
pub fn parse_shard(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, FormatError> {
    let bad = FormatError("shard directory");
    let mut at = 0;
    let n = read_varint(bytes, &mut at).ok_or(bad.clone())? as usize;
    let mut dir = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let len = read_varint(bytes, &mut at).ok_or(bad.clone())? as usize;
        let term = bytes.get(at..at + len).ok_or(bad.clone())?;
        let term = std::str::from_utf8(term).map_err(|_| bad.clone())?;
        at += len;
        let plen = read_varint(bytes, &mut at).ok_or(bad.clone())? as usize;
        dir.push((term.to_string(), plen));
    }
    let mut out = Vec::with_capacity(dir.len());
    for (term, plen) in dir {
        let postings = bytes.get(at..at + plen).ok_or(bad.clone())?;
        at += plen;
        out.push((term, postings.to_vec()));
    }
    Ok(out)
}

/// How hard to compress: on the 10,000-page corpus level 3 packs the index
/// into 22.4 MB, zlib's default 6 into 21.9 MB at nearly twice the time.
const LEVEL: u8 = 3;

/// Compresses bytes for a data file: zlib, then base64 (what `atob` reads),
/// so the payload is a plain ASCII string literal.
pub fn pack(bytes: &[u8]) -> String {
    pack_at(bytes, LEVEL)
}

/// [`pack`] at a compression level of its own: postings (small numbers)
/// lose little at level 1 (6% larger on the 10,000-page corpus) and take
/// half the time; text keeps `LEVEL`.
pub fn pack_at(bytes: &[u8], level: u8) -> String {
    crate::base64::encode(&miniz_oxide::deflate::compress_to_vec_zlib(bytes, level))
}

/// Reverses [`pack`].
pub fn unpack(text: &str) -> Result<Vec<u8>, FormatError> {
    let raw = crate::base64::decode(text).ok_or(FormatError("base64"))?;
    miniz_oxide::inflate::decompress_to_vec_zlib(&raw).map_err(|_| FormatError("zlib"))
}

/// 32-bit FNV-1a, for sharding (the page computes the same).
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut bytes = Vec::new();
        let values = [0u64, 1, 127, 128, 300, 1 << 20, u64::from(u32::MAX)];
        for &n in &values {
            push_varint(&mut bytes, n);
        }
        assert_eq!(&bytes[..5], [0, 1, 127, 0x80, 1]);
        let mut at = 0;
        let back: Vec<u64> = std::iter::from_fn(|| read_varint(&bytes, &mut at)).collect();
        assert_eq!(back, values);
        assert_eq!(read_varint(&[0x80], &mut 0), None, "truncated");
    }

    #[test]
    fn postings_round_trip() {
        let mut p = Postings::default();
        p.push(3, 1);
        p.push(10, 2);
        p.push(4000, 130);
        assert_eq!(decode(p.as_bytes()), vec![(3, 1), (10, 2), (4000, 130)]);
        // 3<<1, then 7<<1|1 and 0, then 3990<<1|1 (two bytes) and 128 (two).
        assert_eq!(p.as_bytes(), [6, 15, 0, 0xad, 0x3e, 0x80, 1]);
        assert!(p.contains(10) && !p.contains(11) && !p.contains(2));
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn occurrences_are_counted_per_unit() {
        let mut p = Postings::default();
        for unit in [2, 2, 2, 5, 9, 9] {
            p.occur(unit);
        }
        p.finish();
        p.finish();
        assert_eq!(decode(p.as_bytes()), [(2, 3), (5, 1), (9, 2)]);
    }

    #[test]
    fn shards_round_trip() {
        let mut a = Postings::default();
        a.push(1, 1);
        let mut b = Postings::default();
        b.push(2, 3);
        b.push(9, 1);
        let bytes = shard_bytes(&[("党员", &a), ("app", &b)]);
        let back = parse_shard(&bytes).unwrap();
        assert_eq!(back[0].0, "党员");
        assert_eq!(decode(&back[0].1), [(1, 1)]);
        assert_eq!(back[1].0, "app");
        assert_eq!(decode(&back[1].1), [(2, 3), (9, 1)]);
        assert!(parse_shard(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn packed_payloads_round_trip() {
        let text = "组织生活会".repeat(100);
        let packed = pack(text.as_bytes());
        assert!(packed.len() < text.len() / 4, "{}", packed.len());
        assert_eq!(unpack(&packed).unwrap(), text.as_bytes());
        assert!(unpack("AAAA").is_err());
    }

    #[test]
    fn fnv_matches_known_values() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
    }
}
