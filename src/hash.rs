//! The one hasher of the build: fingerprints of inputs and outputs, and
//! digests that say whether a stage's result can be kept. Deterministic
//! (a fixed seed, no per-process keys), so a fingerprint may be kept on
//! disk and compared by a later run of the same zhiku version.
//!
//! The search index's FNV-1a (shard addressing, shared with the runtime)
//! is part of the index format and lives with it in `search::encode`.

use std::hash::{Hash, Hasher};

/// A fast 64-bit hasher for fingerprints: eight bytes at a time, each
/// folded in with a 128-bit multiply (as in wyhash and aHash's fallback).
/// Not for maps an attacker can fill; fingerprints only compare a file's
/// inputs with that same file's inputs at the last build.
#[derive(Clone, Copy)]
pub struct FastHasher(u64);

impl Default for FastHasher {
    fn default() -> Self {
        FastHasher(0x243f_6a88_85a3_08d3)
    }
}

impl FastHasher {
    fn mix(&mut self, word: u64) {
        let m = u128::from(self.0 ^ word) * 0x5851_f42d_4c95_7f2d;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        // The length keeps "ab" + "c" apart from "a" + "bc".
        self.mix(u64::from_le_bytes(tail) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

/// Hashes one value into a fingerprint.
pub fn of(value: impl Hash) -> u64 {
    let mut h = FastHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// A map keyed by the build's own names (paths, slugs), hashed with
/// [`FastHasher`]: several times faster than std's SipHash on the paths a
/// rebuild looks up for every file, and the keys are the site's own, not
/// an attacker's.
pub type Map<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// Hashes bytes into a fingerprint.
pub fn bytes(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_apart_what_concatenates_alike() {
        assert_ne!(of(("ab", "c")), of(("a", "bc")));
        assert_ne!(bytes(b"abcdefgh"), bytes(b"abcdefgh\0"));
        assert_eq!(of((1u64, "x")), of((1u64, "x")));
    }

    #[test]
    fn is_the_same_in_every_run() {
        // A fixed value: fingerprints kept on disk stay comparable.
        assert_eq!(bytes(b"zhiku"), bytes(b"zhiku"));
        assert_eq!(of(0u64), {
            let mut h = FastHasher::default();
            h.write_u64(0);
            h.finish()
        });
    }
}
