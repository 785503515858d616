//! Folding Traditional characters to Simplified, so that 黨員 and 党员,
//! 人力資源 and 人力资源 are the same to taxonomies and search; and
//! [`Script`], the script a site shows Chinese in, for the few words zhiku
//! itself has to spell (taxonomy terms).
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

/// The script a site shows Chinese in, from its `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// 简体: zh, zh-CN, zh-SG, zh-Hans.
    Simplified,
    /// 繁體, with the character variants of a region.
    Traditional(Variants),
}

/// Which region's character variants Traditional text uses (OpenCC's
/// `TWVariants` and `HKVariants`: 為 and 裡 in Taiwan, 爲 and 裏 in Hong
/// Kong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variants {
    /// OpenCC's standard forms (zh-Hant).
    Standard,
    /// Taiwan (zh-TW).
    Taiwan,
    /// Hong Kong and Macau (zh-HK, zh-MO).
    HongKong,
}

impl Script {
    /// The script of a BCP 47 tag: a script subtag (`Hans`, `Hant`) wins,
    /// then the region (TW, HK, MO are Traditional); `zh` alone is
    /// Simplified. `None` for other languages.
    pub fn of_language(tag: &str) -> Option<Script> {
        let mut parts = tag.split(['-', '_']).map(str::to_ascii_lowercase);
        if parts.next()? != "zh" {
            return None;
        }
        let (mut script, mut region) = (None, None);
        for part in parts {
            match part.as_str() {
                "hans" | "hant" => script = Some(part),
                p if p.len() == 2 => region = Some(part),
                _ => {}
            }
        }
        let variants = match region.as_deref() {
            Some("tw") => Variants::Taiwan,
            Some("hk" | "mo") => Variants::HongKong,
            _ => Variants::Standard,
        };
        Some(match script.as_deref() {
            Some("hans") => Script::Simplified,
            Some(_) => Script::Traditional(variants),
            None if variants == Variants::Standard => Script::Simplified,
            None => Script::Traditional(variants),
        })
    }

    /// `text` in this script, character by character: folded for
    /// Simplified; for Traditional, OpenCC's `STCharacters` (its first,
    /// most common candidate) and then the region's variants. Character
    /// by character can choose wrongly where one Simplified character
    /// stands for several (发 → 發 or 髮): callers prefer a spelling
    /// that an author wrote, and convert only when there is none.
    pub fn convert(self, text: &str) -> String {
        match self {
            Script::Simplified => fold(text),
            Script::Traditional(variants) => {
                let tables = traditional_tables();
                let regional = match variants {
                    Variants::Standard => None,
                    Variants::Taiwan => Some(&tables.taiwan),
                    Variants::HongKong => Some(&tables.hong_kong),
                };
                text.chars()
                    .map(|c| {
                        let c = tables.simplified.get(&c).copied().unwrap_or(c);
                        regional.and_then(|r| r.get(&c).copied()).unwrap_or(c)
                    })
                    .collect()
            }
        }
    }

    /// Whether `text` is already written in this script: converting it
    /// changes nothing.
    pub fn is_written_in(self, text: &str) -> bool {
        self.convert(text) == text
    }
}

/// Simplified → Traditional, and the regional variants, read once and
/// only by sites in Traditional script.
struct TraditionalTables {
    simplified: HashMap<char, char>,
    taiwan: HashMap<char, char>,
    hong_kong: HashMap<char, char>,
}

fn traditional_tables() -> &'static TraditionalTables {
    static TABLES: OnceLock<TraditionalTables> = OnceLock::new();
    TABLES.get_or_init(|| TraditionalTables {
        simplified: first_candidates(hanconv::RawDictionary::STCharacters.text()),
        taiwan: first_candidates(hanconv::RawDictionary::TWVariants.text()),
        hong_kong: first_candidates(hanconv::RawDictionary::HKVariants.text()),
    })
}

/// An OpenCC character table (`from<TAB>candidates`) as one character to
/// its first candidate, where that differs.
fn first_candidates(table: &str) -> HashMap<char, char> {
    table
        .lines()
        .filter_map(|line| {
            let (from, to) = line.split_once('\t')?;
            let mut from_chars = from.chars();
            let (Some(from), None) = (from_chars.next(), from_chars.next()) else {
                return None;
            };
            let to = to.split(' ').next()?.chars().next()?;
            (from != to).then_some((from, to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_script_of_a_language_tag() {
        use Script::*;
        for (tag, script) in [
            ("zh", Some(Simplified)),
            ("zh-CN", Some(Simplified)),
            ("zh-SG", Some(Simplified)),
            ("zh-Hans", Some(Simplified)),
            ("zh-Hans-HK", Some(Simplified)),
            ("zh_cn", Some(Simplified)),
            ("zh-TW", Some(Traditional(Variants::Taiwan))),
            ("zh-Hant-TW", Some(Traditional(Variants::Taiwan))),
            ("zh-HK", Some(Traditional(Variants::HongKong))),
            ("zh-MO", Some(Traditional(Variants::HongKong))),
            ("zh-Hant", Some(Traditional(Variants::Standard))),
            ("en", None),
            ("", None),
        ] {
            assert_eq!(Script::of_language(tag), script, "{tag}");
        }
    }

    #[test]
    fn converts_to_either_script_by_character() {
        let tw = Script::Traditional(Variants::Taiwan);
        assert_eq!(tw.convert("发展党员"), "發展黨員");
        assert_eq!(tw.convert("人力资源"), "人力資源");
        // Taiwan's variant of 爲 and 裏.
        assert_eq!(tw.convert("为了 里面"), "為了 裡面");
        let hk = Script::Traditional(Variants::HongKong);
        assert_eq!(hk.convert("里面"), "裏面");
        assert_eq!(Script::Simplified.convert("發展黨員"), "发展党员");
        assert!(tw.is_written_in("黨員 APP"));
        assert!(!tw.is_written_in("党員"));
        assert!(Script::Simplified.is_written_in("党员"));
    }

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
