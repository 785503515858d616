//! ASCII slugs for output paths and readable ids for heading anchors.
//!
//! Output paths must be ASCII (some phone file managers and zip tools mangle
//! anything else), so Chinese file names are transliterated with deunicode:
//! `支部工作.md` → `zhi-bu-gong-zuo`. Anchors, on the other hand, stay
//! readable in Chinese (`#第十条`, `#第一章-总则`), since browsers handle
//! Unicode fragments and members share such links.

/// Transliterates `text` to a lowercase ASCII slug of `a-z`, `0-9` and `-`.
/// Returns an empty string when nothing is left (e.g. only punctuation).
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, " ");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Whether `slug` is acceptable as a path segment given by a user: ASCII
/// letters, digits, `-` and `_`, not empty, not starting with `.` or `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A heading's anchor id: its text with ASCII lowercased, whitespace runs
/// (including the ideographic space) turned into `-`, and punctuation
/// dropped. Letters and digits of every script are kept.
pub fn anchor(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            if pending_dash && !id.is_empty() {
                id.push('-');
            }
            pending_dash = false;
            id.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() {
            pending_dash = true;
        }
    }
    if id.is_empty() { "section".into() } else { id }
}

/// Hands out unique anchors within one page: a second `概述` becomes
/// `概述-1`, as GitHub does.
#[derive(Debug, Default)]
pub struct Anchors {
    seen: std::collections::HashMap<String, usize>,
}

impl Anchors {
    /// Reserves and returns a unique anchor for `text`.
    pub fn unique(&mut self, text: &str) -> String {
        let base = anchor(text);
        let mut candidate = base.clone();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{}", *count - 1);
        }
        self.seen.insert(candidate.clone(), 1);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_transliterate_chinese() {
        assert_eq!(slugify("组织生活会"), "zu-zhi-sheng-huo-hui");
        assert_eq!(slugify("黨員 APP 2018"), "dang-yuan-app-2018");
        assert_eq!(slugify("  Hello, World!  "), "hello-world");
        assert_eq!(slugify("！！"), "");
    }

    #[test]
    fn validates_user_slugs() {
        assert!(is_valid_slug("zhibu-tiaoli_2"));
        assert!(!is_valid_slug("../../x"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("条例"));
    }

    #[test]
    fn anchors_keep_chinese_readable() {
        assert_eq!(anchor("第一章 总则"), "第一章-总则");
        assert_eq!(anchor("第一章\u{3000}总　则"), "第一章-总-则");
        assert_eq!(anchor("会前准备（必做）"), "会前准备必做");
        assert_eq!(anchor("Step 2: Prepare"), "step-2-prepare");
        assert_eq!(anchor("？"), "section");
    }

    #[test]
    fn anchors_are_unique_within_a_page() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("概述"), "概述");
        assert_eq!(a.unique("概述"), "概述-1");
        assert_eq!(a.unique("概述"), "概述-2");
        assert_eq!(a.unique("概述-1"), "概述-1-1");
    }
}
