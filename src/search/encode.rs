//! Postings, encoded as the page decodes them: unsigned integers in base-64
//! digits of 5 bits, least significant first, 32 added to every digit but
//! the last (docs/search-format.md).

const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A term's postings: `unit-delta, count, positions…` per unit.
#[derive(Debug, Clone, Default)]
pub struct Postings {
    text: String,
    last_unit: Option<u32>,
    units: u32,
}

impl Postings {
    /// Appends one unit (ids must increase) with its positions (increasing).
    pub fn push(&mut self, unit: u32, positions: impl Iterator<Item = u32> + Clone) {
        let delta = self.last_unit.map_or(unit, |last| unit - last);
        push_number(&mut self.text, delta);
        push_number(&mut self.text, positions.clone().count() as u32);
        let mut prev = None;
        for p in positions {
            push_number(&mut self.text, prev.map_or(p, |q: u32| p - q));
            prev = Some(p);
        }
        self.last_unit = Some(unit);
        self.units += 1;
    }

    /// The encoded string.
    pub fn as_str(&self) -> &str {
        &self.text
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
        let mut numbers = Numbers(self.text.bytes());
        let mut current = 0u32;
        let mut first = true;
        while let (Some(delta), Some(count)) = (numbers.next(), numbers.next()) {
            current = if first { delta } else { current + delta };
            first = false;
            if current >= unit {
                return current == unit;
            }
            for _ in 0..count {
                numbers.next();
            }
        }
        false
    }
}

/// Writes one number.
pub fn push_number(out: &mut String, mut n: u32) {
    loop {
        let digit = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[digit] as char);
            return;
        }
        out.push(DIGITS[digit + 32] as char);
    }
}

/// The numbers of an encoded string, one by one.
struct Numbers<I>(I);

impl<I: Iterator<Item = u8>> Iterator for Numbers<I> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (mut value, mut shift) = (0u32, 0u32);
        for b in self.0.by_ref() {
            let d = match b {
                b'A'..=b'Z' => b - b'A',
                b'a'..=b'z' => b - b'a' + 26,
                b'0'..=b'9' => b - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => continue,
            } as u32;
            value |= (d & 31) << shift;
            if d & 32 == 0 {
                return Some(value);
            }
            shift += 5;
        }
        None
    }
}

/// Decodes a postings string into (unit, positions) pairs.
pub fn decode(text: &str) -> Vec<(u32, Vec<u32>)> {
    let mut out = Vec::new();
    let mut it = Numbers(text.bytes());
    let mut unit = 0u32;
    let mut first = true;
    while let (Some(delta), Some(count)) = (it.next(), it.next()) {
        unit = if first { delta } else { unit + delta };
        first = false;
        let mut positions = Vec::with_capacity(count as usize);
        let mut pos = 0;
        for i in 0..count {
            let gap = it.next().unwrap_or(0);
            pos = if i == 0 { gap } else { pos + gap };
            positions.push(pos);
        }
        out.push((unit, positions));
    }
    out
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

/// 64-bit FNV-1a, streaming (for the index's build id).
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Adds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut s = String::new();
        for n in [0u32, 1, 31, 32, 1000, 1 << 20, u32::MAX] {
            s.clear();
            push_number(&mut s, n);
            let mut p = Postings::default();
            p.push(n, [n].into_iter());
            assert_eq!(decode(p.as_str()), vec![(n, vec![n])], "{n}");
        }
        s.clear();
        push_number(&mut s, 31);
        assert_eq!(s, "f");
        s.clear();
        push_number(&mut s, 32);
        assert_eq!(s, "gB");
    }

    #[test]
    fn postings_round_trip() {
        let mut p = Postings::default();
        p.push(3, [0u32, 5, 9].into_iter());
        p.push(10, [2u32].into_iter());
        p.push(4000, [100u32, 1000].into_iter());
        assert_eq!(
            decode(p.as_str()),
            vec![(3, vec![0, 5, 9]), (10, vec![2]), (4000, vec![100, 1000])]
        );
        assert!(p.contains(10) && !p.contains(11));
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn fnv_matches_known_values() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
    }
}
