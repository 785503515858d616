//! Synonyms for search: zhiku's built-in list (`synonyms.txt`, data the
//! project maintains) and a site's own `[search] synonyms`, merged into
//! groups of normalised words. The index ships them to the page in
//! `meta.js`; the query parser ([`super::query`]) offers every other word
//! of a group as another way to write a term.

use super::normalize::{normalize, query_tokens};

/// The built-in list: one group a line, words separated by spaces.
const BUILT_IN: &str = include_str!("synonyms.txt");

/// Groups of normalised words that find each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Each group's words, normalised, longest first.
    pub groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// The built-in list plus `site`'s groups (already checked with
    /// [`check_group`]).
    pub fn new(site: &[Vec<String>]) -> Synonyms {
        let built_in = BUILT_IN
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>());
        let groups = built_in
            .chain(site.iter().cloned())
            .map(|g| {
                let mut words: Vec<String> = g.iter().map(|w| compact(w)).collect();
                words.retain(|w| !w.is_empty());
                words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
                words.dedup();
                words
            })
            .filter(|g| g.len() > 1)
            .collect();
        Synonyms { groups }
    }

    /// The built-in list alone.
    pub fn built_in() -> Synonyms {
        Synonyms::new(&[])
    }
}

/// A word as the parser compares it: normalised, without spaces or
/// punctuation.
fn compact(word: &str) -> String {
    super::query::compact(&normalize(word))
}

/// Checks `site.toml`'s `[search] synonyms`: an error for each group that
/// could never find anything.
pub fn check_site(groups: &[Vec<String>]) -> Vec<crate::diagnostics::Diagnostic> {
    groups
        .iter()
        .filter_map(|group| check_group(group).err())
        .map(|message| {
            crate::diagnostics::Diagnostic::error(
                crate::config::CONFIG_FILE,
                crate::tr!("site.search.synonyms", message = message),
            )
            .with_hint(crate::tr!("site.search.synonyms_hint"))
        })
        .collect()
}

/// Checks one group of `site.toml`'s `[search] synonyms`.
pub fn check_group(group: &[String]) -> Result<(), String> {
    if group.len() < 2 {
        let found = serde_json::to_string(group).unwrap_or_default();
        return Err(crate::tr!("site.search.group_too_small", found = found));
    }
    for word in group {
        if query_tokens(word).is_empty() {
            return Err(crate::tr!("site.search.nothing_to_search", word = word));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_parses_into_groups() {
        let s = Synonyms::built_in();
        assert!(s.groups.len() >= 25, "{}", s.groups.len());
        let jiwei = s.groups.iter().find(|g| g.contains(&"纪委".to_string()));
        assert_eq!(
            jiwei.unwrap(),
            &vec!["纪律检查委员会".to_string(), "纪委".to_string()]
        );
        assert!(s.groups.iter().all(|g| g.len() > 1));
    }

    #[test]
    fn site_groups_are_normalised_and_added() {
        let s = Synonyms::new(&[vec!["黨費".into(), "党员 会费".into()]]);
        assert!(
            s.groups
                .contains(&vec!["党员会费".to_string(), "党费".to_string()])
        );
    }

    #[test]
    fn rejects_groups_without_two_searchable_words() {
        assert!(check_group(&["入党".into()]).is_err());
        assert!(check_group(&["入党".into(), "——".into()]).is_err());
        assert!(check_group(&["入党".into(), "发展党员".into()]).is_ok());
        let errs = check_site(&[vec!["入党".into(), "发展党员".into()], vec!["入党".into()]]);
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].message.contains("[search] synonyms"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].path, std::path::Path::new("site.toml"));
    }
}
