//! Folding Traditional characters to Simplified, so that 黨員 and 党员,
//! 人力資源 and 人力资源 are the same to taxonomies and search.
//!
//! The table is OpenCC's `TSCharacters` (through the hanconv crate), read
//! once; character by character, first candidate. Character-level folding
//! is what matching needs: it makes both scripts meet, even where a
//! phrase-level converter would pick a different word.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The common CJK block (U+4E00–9FFF) as a flat array, where almost every
/// lookup lands; everything else in a map.
struct Table {
    common: Vec<char>,
    other: HashMap<char, char>,
}

const COMMON: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut common: Vec<char> = COMMON.map(|c| char::from_u32(c).unwrap_or('\0')).collect();
        let mut other = HashMap::new();
        for (t, s) in pairs() {
            if COMMON.contains(&(t as u32)) {
                common[(t as u32 - COMMON.start()) as usize] = s;
            } else {
                other.insert(t, s);
            }
        }
        Table { common, other }
    })
}

/// Every (Traditional, Simplified) pair of the table, in file order.
pub fn pairs() -> impl Iterator<Item = (char, char)> {
    hanconv::RawDictionary::TSCharacters
        .text()
        .lines()
        .filter_map(|line| {
            let (from, to) = line.split_once('\t')?;
            let mut from_chars = from.chars();
            let (Some(t), None) = (from_chars.next(), from_chars.next()) else {
                return None;
            };
            let s = to.split(' ').next()?.chars().next()?;
            (t != s).then_some((t, s))
        })
}

/// The Simplified form of one character (itself when it has none).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let table = table();
    match (c as u32).checked_sub(*COMMON.start()) {
        Some(i) if (i as usize) < table.common.len() => table.common[i as usize],
        _ => table.other.get(&c).copied().unwrap_or(c),
    }
}

/// `text` with every Traditional character folded to Simplified.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_traditional_to_simplified() {
        assert_eq!(fold("黨員"), "党员");
        assert_eq!(fold("組織生活會"), "组织生活会");
        assert_eq!(fold("人力資源"), "人力资源");
        assert_eq!(fold("第十條"), "第十条");
        assert_eq!(fold("党员 APP 2018"), "党员 APP 2018");
    }

    #[test]
    fn the_table_is_large_and_one_to_one_per_entry() {
        assert!(pairs().count() > 3000);
        assert!(pairs().all(|(t, s)| t != s));
    }
}
