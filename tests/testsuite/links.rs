//! Internal links: rewritten to the target's output file, broken ones
//! reported with file, line and column.

use std::path::Path;

use crate::site_test::SiteTest;

#[test]
fn rejects_a_broken_link_with_its_position() {
    let site = SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\n---\n\n第一段。\n\n请看[不存在](nope.md)。\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, Path::new("content/a.md"));
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(7), Some(3)),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("nope.md"));
}

#[test]
fn a_full_width_hash_in_a_link_address_gets_a_hint() {
    let site = SiteTest::minimal()
        .file(
            "content/a.md",
            "---\ntitle: 甲\n---\n\n见[乙](b.md＃第三条)。\n",
        )
        .file("content/b.md", "---\ntitle: 乙\n---\n\n正文。\n");
    let errors = site.expect_errors();
    let hint = errors[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("half-width `#`"), "{}", errors[0]);
}

#[test]
fn a_misspelt_title_is_suggested_with_the_article_it_named() {
    let site = SiteTest::minimal()
        .file(
            "content/a.md",
            "---\ntitle: 甲\n---\n\n见[[示例工作规定#第三条]]。\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 示例支部工作规定\n---\n\n正文。\n",
        );
    let errors = site.expect_errors();
    let hint = errors[0].hint.as_deref().unwrap_or_default();
    // Pasted back, the suggestion is the whole fix.
    assert!(
        hint.contains("[[示例支部工作规定#第三条]]"),
        "{}",
        errors[0]
    );
}

#[test]
fn rejects_a_missing_anchor_and_lists_the_real_ones() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\ntitle: 甲\n---\n\n[乙](b.md#第二章)\n")
        .file("content/b.md", "---\ntitle: 乙\n---\n\n## 第一章 总则\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(5));
    assert!(errors[0].message.contains("#第二章"), "{}", errors[0]);
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("#第一章-总则")
    );
}

#[test]
fn rejects_a_link_that_leaves_the_content_folder() {
    let site = SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\n---\n\n[外](../../etc/passwd)\n",
    );
    let errors = site.expect_errors();
    assert!(
        errors[0].message.contains("outside the content folder"),
        "{}",
        errors[0]
    );
}

#[test]
fn can_link_to_pages_sections_assets_and_percent_encoded_anchors() {
    let site = SiteTest::minimal()
        .file("content/sec/_index.md", "---\ntitle: 栏目\n---\n")
        .file("content/sec/文件.pdf", "%PDF")
        .file(
            "content/a.md",
            "---\ntitle: 甲\n---\n\n[栏目](sec/) [索引](sec/_index.md) [文件](sec/文件.pdf) [自己](#第一节) [编码](a.md#%E7%AC%AC%E4%B8%80%E8%8A%82) [根](/sec/_index.md)\n\n## 第一节\n",
        );
    site.build().unwrap();
    site.check_file("public/a/index.html", |html| {
        assert!(html.contains("href=\"../sec/index.html\""), "{html}");
        assert!(html.contains("href=\"../sec/wen-jian.pdf\""), "{html}");
        assert!(html.contains("href=\"index.html#第一节\""), "{html}");
    });
}

#[test]
fn rejects_two_files_to_one_output_naming_both() {
    let site = SiteTest::minimal()
        .file("content/Intro.md", "---\ntitle: 甲\n---\n\n甲\n")
        .file("content/intro.md", "---\ntitle: 乙\n---\n\n乙\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let text = errors[0].to_string();
    assert!(
        text.contains("content/Intro.md") && text.contains("content/intro.md"),
        "{text}"
    );
}

#[test]
fn rejects_a_slug_that_collides_with_a_transliteration() {
    let site = SiteTest::minimal()
        .file("content/组织.md", "---\ntitle: 甲\n---\n\n甲\n")
        .file("content/b.md", "---\ntitle: 乙\nslug: zu-zhi\n---\n\n乙\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("zu-zhi/index.html"));
}

/// The link inside the page's own content, as `[href, text]`: the
/// navigation around it links to the same pages.
fn content_links(html: &str) -> Vec<[String; 2]> {
    crate::html::links(crate::html::element(html, "div class=\"content\""))
}

#[test]
fn issue_16_can_link_to_a_title_and_article_in_the_other_script() {
    let site = SiteTest::fixture("domain")
        .file(
            "content/regulations/trad.md",
            "---\ntitle: 舊制度彙編\n---\n\n第一條　測試。\n",
        )
        .file(
            "content/x.md",
            "---\ntitle: 甲\n---\n\n見[[新規定#第三條]]。\n\n另见[[旧制度汇编#第一条]]。\n",
        );
    let report = site.build().unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    site.check_file("public/x/index.html", |html| {
        assert_eq!(
            content_links(html),
            [
                ["../regulations/new/index.html#第三条", "《新规定》第三条"],
                [
                    "../regulations/trad/index.html#第一条",
                    "《舊制度彙編》第一条"
                ],
            ]
        );
    });
}

#[test]
fn issue_16_summaries_show_cross_references_as_the_body_does() {
    let site = SiteTest::fixture("domain").file(
        "content/x.md",
        "---\ntitle: 甲\n---\n\n依据：[[新規定#第三條]]，另见[[新规定#第一条|总则第一条]]。\n",
    );
    site.build().unwrap();
    let shown = "依据：《新规定》第三条，另见总则第一条。";
    // The home page lists the page with its summary…
    site.check_file("public/index.html", |html| {
        let item = crate::html::element(html, "p class=\"page-item-summary\"");
        assert_eq!(crate::html::text(item), shown, "{item}");
    });
    // …and the page describes itself with it.
    site.check_file("public/x/index.html", |html| {
        assert!(
            html.contains(&format!("<meta name=\"description\" content=\"{shown}\">")),
            "{}",
            &html[..html.find("</head>").unwrap()]
        );
    });
}

#[test]
fn issue_16_a_case_card_quotes_cross_references_as_the_article_shows_them() {
    let site = SiteTest::fixture("domain")
        .file(
            "content/regulations/r.md",
            "---\ntitle: 细则\n---\n\n第一条　依据[[新规定#第三条]]办理。\n",
        )
        .file(
            "content/cases/c.md",
            "---\ntitle: 案例丙\nrelated:\n  - regulations/r.md#第一条\n---\n\n正文。\n",
        );
    site.build().unwrap();
    site.check_file("public/cases/c/index.html", |html| {
        let card = crate::html::element(html, "section class=\"case-card\"");
        let excerpt = crate::html::element(card, "p class=\"cited-excerpt\"");
        assert_eq!(crate::html::text(excerpt), "依据《新规定》第三条办理。");
    });
}

#[test]
fn rejects_full_width_hash_and_bar_in_a_wikilink_at_the_character() {
    // `[[` starts at column 3 of line 5; the target's characters follow.
    for (link, column, ascii) in [("[[乙＃第一条]]", 6, "`#`"), ("[[乙｜看这里]]", 6, "`|`")]
    {
        let site = SiteTest::minimal()
            .file(
                "content/a.md",
                format!("---\ntitle: 甲\n---\n\n请看{link}。\n"),
            )
            .file("content/b.md", "---\ntitle: 乙\n---\n\n## 第一条\n");
        let errors = site.expect_errors();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let e = &errors[0];
        assert_eq!((e.line, e.column), (Some(5), Some(column)), "{e}");
        let hint = e.hint.as_deref().unwrap_or_default();
        assert!(hint.contains(&format!("use the half-width {ascii}")), "{e}");
    }
}
