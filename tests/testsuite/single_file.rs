//! `zhiku pack --single-file` (issue 8): one self-contained HTML file.

use crate::html::{element, links, text};
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
    // (Scripts may name page files: study.js links to them on a site of
    // files, and to in-file parts here.)
    let to_files: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|url| url.contains("index.html"))
        .collect();
    assert!(
        to_files.is_empty(),
        "links to page files are left: {to_files:?}"
    );
    // The search index is inside, with in-file addresses.
    assert!(html.contains("zhikuSearchInline"));
    assert!(html.contains("window.zhikuSearchData"));
    // Checklists keep their storage key.
    assert!(html.contains("data-checklist=\"zhiku:domain-test:checklists/meeting\""));
    // It holds everything, so it has no notes on what it leaves out.
    assert!(!html.contains("id=\"outside\""));
}

#[test]
fn one_section_holds_only_its_pages() {
    let site = SiteTest::fixture("domain");
    let (ok, _, stderr) = pack(&site, &["--single-file", "cases", "-o", "cases.html"]);
    assert!(ok, "{stderr}");
    let html = site.read("cases.html");
    assert!(html.contains("案例甲"));
    assert!(!html.contains("id=\"p-regulations-new\""));
}

/// The note at the end of a section's file that `href` (`#id`) leads to,
/// as text.
#[track_caller]
fn note<'a>(html: &'a str, href: &str) -> &'a str {
    let id = href.strip_prefix('#').expect("an in-file link");
    let note = element(html, &format!("div id=\"{id}\""));
    assert_eq!(
        html.matches(&format!(" id=\"{id}\"")).count(),
        1,
        "{id} is in the file more than once"
    );
    note
}

#[test]
fn issue_16_a_sections_file_shows_the_outside_articles_it_cites() {
    let site = SiteTest::fixture("domain");
    let (ok, _, stderr) = pack(&site, &["--single-file", "cases", "-o", "cases.html"]);
    assert!(ok, "{stderr}");
    let html = site.read("cases.html");
    let case = element(&html, "article id=\"p-cases-a\"");
    // [[新规定#第三条]] in the text, and the same article on the case card.
    let body = links(element(case, "div class=\"content\""));
    let card = links(element(case, "ul class=\"cited-articles\""));
    let cited = |links: &[[String; 2]], label: &str| {
        links
            .iter()
            .find(|[_, t]| t.contains(label))
            .unwrap_or_else(|| panic!("no link to {label} in {links:?}"))[0]
            .clone()
    };
    let third = cited(&body, "第三条");
    assert_eq!(third, cited(&card, "第三条"), "one note per article");
    let note3 = text(note(&html, &third));
    for expected in [
        "《新规定》第三条",
        "支部按时开会",
        "会后记录",
        "全文见完整版",
    ] {
        assert!(note3.contains(expected), "{expected} missing from {note3}");
    }
    // A Markdown link, and a wikilink in Traditional script with its own text.
    let first = text(note(&html, &cited(&body, "第一条")));
    assert!(first.contains("为了测试，制定本规定"), "{first}");
    let second = text(note(&html, &cited(&body, "第二条的规定")));
    assert!(second.contains("本规定适用于测试"), "{second}");
    let tenth = text(note(&html, &cited(&card, "第十条")));
    assert!(tenth.contains("第十条的内容"), "{tenth}");
    // The notes sit under their own heading, linked from the contents.
    let notes = element(&html, "section id=\"outside\"");
    assert!(notes.contains(&format!("id=\"{}\"", &third[1..])));
    assert!(
        links(element(&html, "nav id=\"toc\""))
            .contains(&["#outside".to_string(), "本文引用的其他条文".to_string()])
    );
}

#[test]
fn issue_16_a_sections_file_sends_no_link_to_the_contents_instead_of_a_page() {
    let site = SiteTest::fixture("domain").file(
        "content/cases/b.md",
        "---\ntitle: 案例乙\n---\n\n对照[[新规定]]和[[支部大会清单]]，回看[首页](../_index.md)和[制度](../regulations/_index.md)。\n",
    );
    let (ok, _, stderr) = pack(&site, &["--single-file", "cases", "-o", "cases.html"]);
    assert!(ok, "{stderr}");
    let html = site.read("cases.html");
    let case = element(&html, "article id=\"p-cases-b\"");
    let body = links(element(case, "div class=\"content\""));
    assert_eq!(body.len(), 4, "{body:?}");
    for [href, label] in &body {
        let note = text(note(&html, href));
        assert!(
            note.contains(&format!("《{label}》不在本文件中，见完整版")),
            "{label}: {note}"
        );
    }
    // Every in-file link in the pages leads to an element of the file, and
    // only 回到目录 leads to the contents.
    let main = element(&html, "main");
    for [href, label] in links(main) {
        let id = href.strip_prefix('#').unwrap_or_else(|| panic!("{href}"));
        let id = id.split('#').next().unwrap();
        assert!(html.contains(&format!(" id=\"{id}\"")), "{label}: {href}");
        assert!(id != "toc" || label == "回到目录", "{label} leads to #toc");
    }
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
