//! The rendered HTML of each kind of page, as insta snapshots of its
//! `<main>` (tests/testsuite/snapshots/): a change to a template or to the
//! render stage shows up here as a diff to accept or fix.
//!
//! The site is the domain fixture plus one ordinary page. `<main>` rather
//! than the whole page: the head and the navigation are the same on every
//! page and would make each snapshot change with any of them. Lines of
//! only whitespace (left by template tags) are dropped and trailing
//! whitespace trimmed; nothing else is changed. The output holds no
//! machine-dependent value (no temporary path, build date or build id), so
//! nothing is redacted; the test checks the temporary path is absent.
//!
//! To accept a change: `INSTA_UPDATE=always cargo test --test testsuite
//! rendered`, then read the diff of the `.snap` files before committing.
//! With `CI` set, insta never writes and a mismatch fails.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::html::element;
use crate::site_test::SiteTest;

/// An ordinary page (no kind), added to the fixture for this test only, so
/// that the other tests' page counts stay as they are.
const ABOUT: (&str, &str) = (
    "content/about.md",
    "---\ntitle: 关于本站\n---\n\n本站收录[[新规定]]和[[案例甲]]，供学习使用。\n\n## 使用说明\n\n条文都有链接，如[[新规定#第三条]]。\n",
);

/// Each kind of page: its snapshot's name and its file under `public/`.
const PAGES: &[(&str, &str)] = &[
    ("regulation", "regulations/new/index.html"),
    ("checklist", "checklists/meeting/index.html"),
    ("case", "cases/a/index.html"),
    ("page", "about/index.html"),
    ("section", "regulations/index.html"),
    ("taxonomy_term", "tags/san-hui-yi-ke/index.html"),
    ("home", "index.html"),
    ("print", "regulations/print/index.html"),
];

#[test]
fn each_page_kind_renders_as_its_snapshot() {
    let site = SiteTest::fixture("domain").file(ABOUT.0, ABOUT.1);
    site.build()
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    let tmp = site.root.to_string_lossy().into_owned();
    // Every page is compared before the test fails, each diff printed.
    let differ: Vec<&str> = PAGES
        .iter()
        .filter(|(name, rel)| {
            let html = site.read(&format!("public/{rel}"));
            let main = pretty(element(&html, "main"));
            assert!(!main.contains(&tmp), "{rel} holds the temporary path");
            let compared = catch_unwind(AssertUnwindSafe(|| {
                insta::with_settings!({
                    description => format!("<main> of public/{rel}"),
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(*name, main);
                });
            }));
            compared.is_err()
        })
        .map(|(name, _)| *name)
        .collect();
    assert!(
        differ.is_empty(),
        "the rendered HTML of {differ:?} differs from its snapshot (diffs above); if that \
         is meant, run `INSTA_UPDATE=always cargo test --test testsuite rendered` and \
         review the .snap files"
    );
}

/// `html` without lines of only whitespace and with trailing whitespace
/// trimmed.
fn pretty(html: &str) -> String {
    html.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
