//! How many terminal columns text takes: two for East Asian wide
//! characters, one for the rest. Shared by the diagnostics renderer (a
//! caret under a column of Chinese text) and the installable app's short
//! name (what fits under a home-screen icon).
//!
//! A small table rather than a crate: the content is Chinese and ASCII,
//! and being off by one for a rare script only shifts a caret.

/// Two for East Asian wide characters (CJK, kana, Hangul, full-width
/// forms), one for the rest.
pub fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// The columns `s` takes on a terminal.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cjk_and_full_width_forms_as_two() {
        assert_eq!(display_width("title: 甲"), 9);
        assert_eq!(display_width("：＃｜"), 6);
        assert_eq!(display_width("ーー"), 4);
        assert_eq!(char_width('—'), 1);
    }
}
