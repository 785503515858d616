//! `zhiku pack --single-file` (issue 8): one self-contained HTML file.

use crate::site_test::SiteTest;

fn pack(site: &SiteTest, args: &[&str]) -> (bool, String, String) {
    let out = site.run(&[&["pack", "."][..], args].concat());
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_whole_site_in_one_file_with_in_file_links() {
    let site = SiteTest::fixture("domain");
    let (ok, stdout, stderr) = pack(&site, &["--single-file"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("domain-test.html"), "{stdout}");
    let html = site.read("domain-test.html");
    for title in ["新规定", "案例甲", "支部大会清单"] {
        assert!(html.contains(title), "{title} missing");
    }
    // Pages are anchors; a cross reference to an article names both.
    assert!(html.contains("id=\"p-regulations-new\""));
    assert!(
        html.contains("href=\"#p-regulations-new#%E7%AC%AC%E4%B8%89%E6%9D%A1\"")
            || html.contains("href=\"#p-regulations-new#第三条\""),
        "no in-file link to 第三条"
    );
    // Nothing is fetched: no stylesheet or script files, no page files.
    assert!(!html.contains("<link rel=\"stylesheet\""));
    assert!(!html.contains("<script src="));
    assert!(
        !html.contains("index.html\"") && !html.contains("index.html#"),
        "a link to a page file is left"
    );
    // The search index is inside, with in-file addresses.
    assert!(html.contains("zhikuSearchInline"));
    assert!(html.contains("window.zhikuSearchData"));
    // Checklists keep their storage key.
    assert!(html.contains("data-checklist=\"zhiku:domain-test:checklists/meeting\""));
}

#[test]
fn one_section_holds_only_its_pages() {
    let site = SiteTest::fixture("domain");
    let (ok, _, stderr) = pack(&site, &["--single-file", "cases", "-o", "cases.html"]);
    assert!(ok, "{stderr}");
    let html = site.read("cases.html");
    assert!(html.contains("案例甲"));
    assert!(!html.contains("id=\"p-regulations-new\""));
    // Links to pages outside the file go to its table of contents.
    assert!(html.contains("href=\"#toc\""));
}

#[test]
fn an_unknown_section_is_an_error_that_lists_them() {
    let site = SiteTest::fixture("domain");
    let (ok, _, stderr) = pack(&site, &["--single-file", "nope"]);
    assert!(!ok);
    assert!(stderr.contains("there is no section `nope`"), "{stderr}");
    assert!(stderr.contains("cases"), "{stderr}");
    assert!(!site.exists("domain-test-nope.html"));
}

#[test]
fn images_are_inlined() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n0000";
    let site = SiteTest::fixture("domain").file("content/cases/pic.png", png);
    let case = site.read("content/cases/a.md") + "\n![现场照片](pic.png)\n";
    site.change_file("content/cases/a.md", case);
    let (ok, _, stderr) = pack(&site, &["--single-file"]);
    assert!(ok, "{stderr}");
    let html = site.read("domain-test.html");
    assert!(
        html.contains("src=\"data:image/png;base64,iVBORw0KGgo"),
        "image not inlined"
    );
}
