//! Full-width punctuation in a `[[wikilink]]`: a Chinese input method types
//! `＃` and `｜` where the link syntax needs the half-width `#` and `|`, and
//! the link then names a page that does not exist. When such a link fails
//! to resolve, the error points at the character and says what to type.

use crate::markdown::{LinkKind, LinkRef};

/// For a failed Markdown link whose address holds a full-width `＃`
/// (`(a.md＃第十条)`), the hint to type the half-width `#`.
pub(super) fn full_width_in_address(link: &LinkRef) -> Option<String> {
    if matches!(link.kind, LinkKind::Wiki { .. }) || !link.url.contains('＃') {
        return None;
    }
    Some(crate::tr!("site.links.full_width_address"))
}

/// The 1-based column of the first `＃` or `｜` in a failed wikilink, and the
/// hint to give there; `None` for other links.
pub(super) fn full_width_in_wikilink(link: &LinkRef) -> Option<(usize, String)> {
    if !matches!(link.kind, LinkKind::Wiki { .. }) {
        return None;
    }
    let (index, c) = link
        .url
        .chars()
        .enumerate()
        .find(|&(_, c)| c == '＃' || c == '｜')?;
    let (ascii, example) = if c == '＃' {
        ('#', "[[页面标题#第十条]]")
    } else {
        ('|', "[[页面标题|链接文字]]")
    };
    // The link's column is that of its `[[`; the target follows it.
    let column = link.column + 2 + index;
    let hint = crate::tr!(
        "site.links.full_width",
        c = c,
        ascii = ascii,
        example = example
    );
    Some((column, hint))
}
