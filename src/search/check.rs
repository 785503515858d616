//! The build's self-check: every page is found by its title, and a
//! sample of citations find their article, through the same query
//! parser the page runs.

use super::*;

/// Runs queries through the query parser and the index, as the page
/// would: a sample of page titles must find their page's first unit, and
/// a sample of article citations (`《title》第N条`) their article. Catches an
/// index and a query path that disagree (MkDocs' silent failure).
pub(super) fn self_check(
    graph: &SiteGraph,
    shards: &[KeyMap<Entry>],
    plan: &ShardPlan,
    first_unit: &[u32],
    synonyms: &Synonyms,
) -> Result<(), Diagnostic> {
    let holds = |unit: u32, t: &normalize::QueryToken| {
        if t.prefix {
            plan.for_prefix(&t.term).into_iter().any(|s| {
                shards[s]
                    .values()
                    .any(|e| e.term.starts_with(t.term.as_str()) && e.postings.contains(unit))
            })
        } else {
            let key = cjk_key(&t.term).unwrap_or_else(|| word_key(&t.term));
            shards[plan.of(&t.term)]
                .get(&key)
                .is_some_and(|e| e.postings.contains(unit))
        }
    };
    // Every term, in some form, in one of the page's units.
    let finds = |query: &str, units: std::ops::Range<u32>| {
        let parsed = query::parse(query, synonyms);
        !parsed.terms.is_empty()
            && parsed.terms.iter().all(|term| {
                units.clone().any(|unit| {
                    term.forms
                        .iter()
                        .any(|f| f.tokens.iter().all(|t| holds(unit, t)))
                })
            })
    };
    let step = (graph.pages.len() / 12).max(1);
    for p in (0..graph.pages.len()).step_by(step) {
        let page = &graph.pages[p];
        let title = &page.meta.title;
        let unit = first_unit[p];
        // A title of nothing searchable (punctuation only) is not checked.
        if !query::parse(title, synonyms).terms.is_empty() && !finds(title, unit..unit + 1) {
            return Err(self_check_error(page, title));
        }
        // The page's first article, cited with the page's title and alone.
        let Some((u, r)) = page
            .rendered
            .units
            .iter()
            .enumerate()
            .find_map(|(u, x)| x.article.map(|r| (u, r)))
        else {
            continue;
        };
        let citation = format!("《{title}》{}", r.id());
        let at = unit + u as u32;
        if !finds(&citation, unit..at + 1) || !finds(&r.id(), at..at + 1) {
            return Err(self_check_error(page, &citation));
        }
    }
    Ok(())
}

pub(super) fn self_check_error(page: &crate::graph::Page, query: &str) -> Diagnostic {
    Diagnostic::error(
        format!("content/{}", page.source),
        crate::tr!("site.search.self_check", query = query),
    )
    .with_hint(crate::tr!("site.search.self_check_hint"))
}
