//! The search relevance set (`tests/search/relevance.json`) and the
//! statute corpus it is written against (`examples/support/statutes.rs`):
//! the benchmark (`examples/relevance_bench.rs`) is only worth its figures
//! if every accepted answer exists and the filler cannot answer instead.

#[path = "../../examples/support/statutes.rs"]
#[allow(dead_code, unreachable_pub)]
mod statutes;

use std::collections::BTreeSet;

use zhiku::fold::fold;

use crate::site_test::SiteTest;

const KINDS: &[&str] = &[
    "question",
    "multi",
    "traditional",
    "citation",
    "abbreviation",
    "tag",
    "frontmatter",
    "crossref",
    "one-char",
    "latin",
    "exact",
];

#[derive(serde::Deserialize)]
struct Query {
    q: String,
    kind: String,
    accept: Vec<String>,
}

fn relevance_set() -> Vec<Query> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/relevance.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `content/regulations/a.md` → `regulations/a/index.html`.
fn url_of(rel: &str) -> Option<String> {
    let page = rel.strip_prefix("content/")?.strip_suffix(".md")?;
    (!page.ends_with("_index")).then(|| format!("{page}/index.html"))
}

#[test]
fn can_generate_the_statute_corpus_deterministically() {
    let a = statutes::generate(80, 1);
    let b = statutes::generate(80, 1);
    assert!(a.files == b.files, "same arguments, different corpus");
    let c = statutes::generate(80, 2);
    assert!(a.files != c.files, "the seed changes nothing");
    assert_eq!(a.pages, 80);
    assert_eq!(
        a.files.iter().filter(|(p, _)| url_of(p).is_some()).count(),
        80
    );
}

#[test]
fn relevance_set_covers_every_kind() {
    let set = relevance_set();
    assert!(
        set.len() >= 60,
        "{} queries; issue 12 asks for 60",
        set.len()
    );
    for kind in KINDS {
        let n = set.iter().filter(|q| q.kind == *kind).count();
        assert!(n >= 4, "{n} queries of kind {kind}");
    }
    for q in &set {
        assert!(
            KINDS.contains(&q.kind.as_str()),
            "{:?}: kind {}",
            q.q,
            q.kind
        );
        assert!(!q.accept.is_empty(), "{:?} accepts nothing", q.q);
    }
}

/// The filler must not hold the words the queries are about; otherwise a
/// generated page could become an answer nobody wrote down.
#[test]
fn statute_filler_avoids_the_words_of_the_relevance_queries() {
    let corpus = statutes::generate(300, 1);
    let avoid: Vec<String> = statutes::FILLER_AVOIDS.iter().map(|w| fold(w)).collect();
    for (rel, text) in &corpus.files {
        if statutes::Corpus::is_planted(rel) {
            continue;
        }
        let text = fold(text);
        for word in &avoid {
            assert!(!text.contains(word.as_str()), "{rel} contains {word}");
        }
    }
}

/// Every accepted answer exists in the built corpus (page, and the element
/// its anchor names), and an exact query accepts exactly the pages that
/// hold its phrase.
#[test]
fn relevance_answers_exist_in_the_built_statute_corpus() {
    let corpus = statutes::generate(60, 1);
    let mut site = SiteTest::minimal();
    for (rel, text) in &corpus.files {
        site = site.file(rel, text);
    }
    let report = site.build();
    assert!(report.is_ok(), "the statute corpus does not build");
    let html = |url: &str| std::fs::read_to_string(site.root.join("public").join(url)).ok();
    let pages: Vec<(String, String)> = corpus
        .files
        .iter()
        .filter_map(|(rel, text)| Some((url_of(rel)?, fold(text))))
        .collect();
    for q in relevance_set() {
        for accept in &q.accept {
            let (page, anchor) = accept.split_once('#').unwrap_or((accept, ""));
            if page == "*" {
                continue; // a bare citation: any document's article
            }
            let html = html(page).unwrap_or_else(|| panic!("{:?}: no page {page}", q.q));
            assert!(
                anchor.is_empty() || html.contains(&format!("id=\"{anchor}\"")),
                "{:?}: {page} has no #{anchor}",
                q.q
            );
        }
        if q.kind == "exact" {
            let phrase = fold(&q.q);
            let holding: BTreeSet<&str> = pages
                .iter()
                .filter(|(_, text)| text.contains(&phrase))
                .map(|(url, _)| url.as_str())
                .collect();
            let accepted: BTreeSet<&str> = q
                .accept
                .iter()
                .map(|a| a.split_once('#').map_or(a.as_str(), |(p, _)| p))
                .collect();
            assert_eq!(holding, accepted, "{:?}", q.q);
        }
    }
}
