//! Markdown features as a page shows them.

use crate::html::{element, links};
use crate::site_test::SiteTest;

#[test]
fn issue_16_can_write_a_definition_list_and_link_to_its_terms() {
    let site = SiteTest::minimal()
        .file(
            "content/glossary.md",
            "---\ntitle: 术语表\n---\n\n三会一课\n: 支部党员大会、支部委员会会议、党小组会和党课。\n\n党课\n: 面向党员的专题授课。\n",
        )
        .file("content/a.md", "---\ntitle: 甲\n---\n\n见[党课](glossary.md#党课)。\n");
    site.build().unwrap();
    site.check_file("public/glossary/index.html", |html| {
        let dl = element(element(html, "div class=\"content\""), "dl");
        assert_eq!(
            dl,
            "<dl>\n<dt><dfn id=\"三会一课\">三会一课</dfn></dt>\n<dd>支部党员大会、支部委员会会议、党小组会和党课。</dd>\n<dt><dfn id=\"党课\">党课</dfn></dt>\n<dd>面向党员的专题授课。</dd>\n</dl>"
        );
    });
    site.check_file("public/a/index.html", |html| {
        assert_eq!(
            links(element(html, "div class=\"content\"")),
            [["../glossary/index.html#党课", "党课"]]
        );
    });
}
