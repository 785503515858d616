//! Regulations, checklists and cases: articles, cross references,
//! backlinks, stable checklist ids, taxonomies, and their bad inputs.

use std::path::Path;

use crate::html::{element, find_element, links, text};
use crate::link_check::check_site;
use crate::site_test::SiteTest;

#[test]
fn can_build_the_domain_fixture_with_sound_links() {
    let site = SiteTest::fixture("domain");
    let report = site
        .build()
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert_eq!(check_site(&site.root.join("public")), Vec::<String>::new());
}

#[test]
fn articles_get_anchors_permalinks_and_citations() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/regulations/new/index.html", |html| {
        for id in ["第一条", "第二条", "第三条", "第十条"] {
            assert!(
                html.contains(&format!("<div class=\"article\" id=\"{id}\">")),
                "{id} missing"
            );
            assert!(
                html.contains(&format!("href=\"#{id}\"")),
                "no permalink for {id}"
            );
        }
        // 第三条 is cited by the case (body and `related`) and the checklist.
        let third = &html[html.find("id=\"第三条\"").unwrap()..html.find("id=\"第四条\"").unwrap()];
        assert!(third.contains("本条被引用"), "{third}");
        assert!(
            third.contains("href=\"../../cases/a/index.html\""),
            "{third}"
        );
        assert!(
            third.contains("href=\"../../checklists/meeting/index.html\""),
            "{third}"
        );
        assert_eq!(
            third.matches("cases/a/index.html").count(),
            1,
            "cited twice: {third}"
        );
        // A mention inside an article is not a new article.
        assert_eq!(html.matches("class=\"article\"").count(), 10);
    });
    site.check_file("public/regulations/old/index.html", |html| {
        // Traditional text, canonical anchors.
        assert!(html.contains("id=\"第一条\""), "{html}");
    });
}

#[test]
fn cross_references_resolve_to_the_article_with_default_text() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/cases/a/index.html", |html| {
        assert!(
            html.contains(
                "<a href=\"../../regulations/new/index.html#第三条\">《新规定》第三条</a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"../../regulations/new/index.html#第一条\">第一条</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"../../regulations/new/index.html#第二条\">第二条的规定</a>"),
            "{html}"
        );
    });
    site.check_file("public/index.html", |html| {
        assert!(
            html.contains("<a href=\"regulations/new/index.html\">新规定</a>"),
            "{html}"
        );
    });
}

/// The "linked from" box at the foot of a page lists each page that links
/// to it, once, in its own list (the articles' "cited by" boxes hold the
/// same links, so the page as a whole proves nothing).
#[test]
fn pages_list_what_links_to_them() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/regulations/new/index.html", |html| {
        let backlinks = element(html, "section class=\"backlinks\"");
        assert!(backlinks.contains("链接到本页的页面"), "{backlinks}");
        assert_eq!(
            links(element(backlinks, "ul class=\"backlinks-list\"")),
            [
                ["../../cases/a/index.html", "案例甲"],
                ["../../cases/quiz/index.html", "会议自测"],
                ["../../checklists/meeting/index.html", "支部大会清单"],
            ],
            "{backlinks}"
        );
    });
    // No page links to the case: it has no such box.
    site.check_file("public/cases/a/index.html", |html| {
        assert_eq!(find_element(html, "section class=\"backlinks\""), None);
    });
}

#[test]
fn a_case_shows_its_cited_articles_with_excerpts() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/cases/a/index.html", |html| {
        assert!(html.contains("第十条的内容"), "excerpt of 第十条 missing");
        assert!(html.contains("支部按时开会"), "excerpt of 第三条 missing");
    });
}

/// The notice above a superseded regulation and its facts box both link
/// to the successor, which in turn names what it replaces (the page's
/// "next" link also leads to the successor, so the page as a whole proves
/// nothing).
#[test]
fn a_superseded_regulation_links_to_its_successor() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/regulations/old/index.html", |html| {
        let notice = element(html, "div class=\"notice notice-repealed\"");
        assert!(
            text(notice).contains("本规定已被《新规定》取代"),
            "{notice}"
        );
        assert_eq!(links(notice), [["../new/index.html", "新规定"]], "{notice}");
        let facts = element(html, "dl class=\"doc-info\"");
        let row = element(facts, "div class=\"doc-info-wide\"");
        assert!(text(row).contains("替代文件"), "{facts}");
        assert_eq!(links(row), [["../new/index.html", "新规定"]], "{facts}");
    });
    site.check_file("public/regulations/new/index.html", |html| {
        let facts = element(html, "dl class=\"doc-info\"");
        let row = element(facts, "div class=\"doc-info-wide\"");
        assert!(text(row).contains("取代文件"), "{facts}");
        assert_eq!(links(row), [["../old/index.html", "舊規則"]], "{facts}");
    });
}

#[test]
fn checklist_items_are_interactive_with_stable_ids() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    let ids = |html: &str| -> Vec<String> {
        html.match_indices("data-item=\"")
            .map(|(i, m)| html[i + m.len()..i + m.len() + 8].to_string())
            .collect()
    };
    let before = ids(&site.read("public/checklists/meeting/index.html"));
    assert_eq!(before.len(), 3);
    site.check_file("public/checklists/meeting/index.html", |html| {
        assert!(
            html.contains("data-checklist=\"zhiku:domain-test:checklists/meeting\""),
            "no storage key"
        );
        assert!(!html.contains("disabled"));
    });
    site.change_file(
        "content/checklists/meeting.md",
        "---\ntitle: 支部大会清单\n---\n\n## 会前\n\n- [ ] 新的第一项\n- [ ] 确定议题\n- [x] 通知全体党员\n\n  依据[[新规定#第三条]]。\n\n## 会后\n\n- [ ] 整理记录\n",
    );
    site.build().unwrap();
    let after = ids(&site.read("public/checklists/meeting/index.html"));
    assert_eq!(after.len(), 4);
    assert_eq!(
        &after[1..],
        &before[..],
        "ids changed when an item was inserted"
    );
}

#[test]
fn taxonomies_merge_scripts_and_link_both_ways() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    // 三会一课 (checklist) and 三會一課 (case) are one tag.
    site.check_file("public/tags/index.html", |html| {
        assert!(html.contains("三会一课"), "{html}");
        assert!(!html.contains("三會一課"), "{html}");
        assert!(html.contains("href=\"san-hui-yi-ke/index.html\""), "{html}");
    });
    site.check_file("public/tags/san-hui-yi-ke/index.html", |html| {
        assert!(
            html.contains("../../cases/a/index.html")
                && html.contains("../../checklists/meeting/index.html"),
            "{html}"
        );
    });
    assert!(site.exists("public/problems/san-hui-yi-ke-luo-shi-bu-yan-ge/index.html"));
    site.check_file("public/cases/a/index.html", |html| {
        assert!(
            html.contains("../../problems/san-hui-yi-ke-luo-shi-bu-yan-ge/index.html"),
            "problem not linked"
        );
    });
}

#[test]
fn terms_are_shown_in_the_script_of_the_site_language() {
    // Most pages write 人力資源 in Traditional; no page writes 发展党员 so.
    let site = SiteTest::minimal()
        .file(
            "content/a.md",
            "---\ntitle: 甲\ntags: [人力資源]\n---\n\n正文。\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 乙\ntags: [人力資源]\n---\n\n正文。\n",
        )
        .file(
            "content/c.md",
            "---\ntitle: 丙\ntags: [人力资源, 发展党员]\n---\n\n正文。\n",
        );
    // Each term of the tags index as [its address, its name].
    let terms = |site: &SiteTest| -> Vec<[String; 2]> {
        let html = site.read("public/tags/index.html");
        let list = element(&html, "ul class=\"term-list\"");
        list.split("<li class=\"term-item\">")
            .skip(1)
            .map(|item| {
                let name = text(element(item, "span class=\"term-name\""));
                [links(item)[0][0].clone(), name]
            })
            .collect()
    };
    let names = |terms: &[[String; 2]]| -> Vec<String> {
        terms.iter().map(|[_, name]| name.clone()).collect()
    };
    let hrefs = |terms: &[[String; 2]]| -> Vec<String> {
        terms.iter().map(|[href, _]| href.clone()).collect()
    };
    site.build().unwrap();
    let simplified = terms(&site);
    assert_eq!(names(&simplified), ["发展党员", "人力资源"]);
    // A page lists its own tags under the term's name too.
    site.check_file("public/a/index.html", |html| {
        let tags = element(html, "ul class=\"tags\"");
        assert!(tags.contains(">人力资源<"), "{tags}");
    });

    site.change_file("site.toml", "title = \"测试\"\nlanguage = \"zh-TW\"\n");
    site.build().unwrap();
    let traditional = terms(&site);
    assert_eq!(names(&traditional), ["發展黨員", "人力資源"]);
    // The addresses stay as they were.
    assert_eq!(hrefs(&traditional), hrefs(&simplified));
    assert_eq!(
        hrefs(&traditional),
        ["fa-zhan-dang-yuan/index.html", "ren-li-zi-yuan/index.html"]
    );
}

#[test]
fn each_section_has_a_print_page() {
    let site = SiteTest::fixture("domain");
    site.build().unwrap();
    site.check_file("public/regulations/print/index.html", |html| {
        assert!(html.contains("新规定") && html.contains("舊規則"));
        assert!(html.contains("id=\"第十条\""));
    });
    site.check_file("public/regulations/index.html", |html| {
        assert!(html.contains("print/index.html"))
    });
}

fn error_in(site: &SiteTest) -> zhiku::diagnostics::Diagnostic {
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn rejects_an_unresolved_wikilink_target_suggesting_titles() {
    // 新规矩: one character off (新規定 in the other script resolves).
    let site =
        SiteTest::fixture("domain").file("content/x.md", "---\ntitle: 甲\n---\n\n见[[新规矩]]。\n");
    let e = error_in(&site);
    assert_eq!(e.path, Path::new("content/x.md"));
    assert_eq!((e.line, e.column), (Some(5), Some(2)), "{e}");
    assert!(e.message.contains("新规矩"), "{e}");
    assert!(
        e.hint.as_deref().unwrap_or("").contains("[[新规定]]"),
        "{e}"
    );
}

#[test]
fn rejects_an_unresolved_article_naming_the_real_ones() {
    let site = SiteTest::fixture("domain").file(
        "content/x.md",
        "---\ntitle: 甲\n---\n\n见[[新规定#第十一条]]。\n",
    );
    let e = error_in(&site);
    assert!(e.message.contains("第十一条"), "{e}");
    let hint = e.hint.unwrap_or_default();
    assert!(hint.contains("第一条") && hint.contains("第十条"), "{hint}");
}

#[test]
fn rejects_a_case_whose_related_article_is_missing_at_its_line() {
    let site = SiteTest::fixture("domain").file(
        "content/cases/b.md",
        "---\ntitle: 案例乙\nrelated:\n  - regulations/new.md#第三条\n  - regulations/new.md#第二十条\n---\n\n正文\n",
    );
    let e = error_in(&site);
    assert_eq!(e.path, Path::new("content/cases/b.md"));
    assert_eq!(e.line, Some(5), "{e}");
    assert!(
        e.message.contains("related") && e.message.contains("第二十条"),
        "{e}"
    );
}

#[test]
fn warns_about_gaps_and_duplicates_in_article_numbers() {
    let site = SiteTest::fixture("domain").file(
        "content/regulations/gappy.md",
        "---\ntitle: 缺条\n---\n\n第一条 甲\n\n第二条 乙\n\n第四条 丁\n\n第四条 又丁\n",
    );
    let report = site.build().unwrap();
    let lines: Vec<_> = report
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.line))
        .collect();
    assert_eq!(
        lines,
        [
            (
                Path::new("content/regulations/gappy.md").to_path_buf(),
                Some(9)
            ),
            (
                Path::new("content/regulations/gappy.md").to_path_buf(),
                Some(11)
            )
        ],
        "{:#?}",
        report.warnings
    );
}

#[test]
fn warns_about_a_checklist_without_items_and_repeated_items() {
    let site = SiteTest::fixture("domain")
        .file(
            "content/checklists/empty.md",
            "---\ntitle: 空清单\n---\n\n只有说明文字。\n",
        )
        .file(
            "content/checklists/twice.md",
            "---\ntitle: 重复\n---\n\n## 会前\n\n- [ ] 签到\n- [ ] 签到\n",
        );
    let report = site.build().unwrap();
    let messages: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].contains("content/checklists/empty.md")
            && messages[0].contains("no task items"),
        "{messages:#?}"
    );
    assert!(
        messages[1].contains("content/checklists/twice.md:8"),
        "{messages:#?}"
    );
}

#[test]
fn rejects_a_title_shared_by_two_pages_when_linked_by_title() {
    let site = SiteTest::fixture("domain")
        .file(
            "content/cases/dup.md",
            "---\ntitle: 新规定\n---\n\n重名。\n",
        )
        .file("content/x.md", "---\ntitle: 甲\n---\n\n[[新规定]]\n");
    let errors = site.expect_errors();
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("more than one page")),
        "{errors:#?}"
    );
}

#[test]
fn a_taxonomy_declared_in_site_toml_gets_its_pages() {
    let site = SiteTest::fixture("domain")
        .file("site.toml", "title = \"领域测试站\"\nsite_id = \"domain-test\"\n\n[[taxonomies]]\nname = \"topics\"\ntitle = \"专题\"\n")
        .file("content/x.md", "---\ntitle: 甲\ntaxonomies:\n  topics: [换届选举]\n---\n\n正文\n");
    site.build()
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    site.check_file("public/topics/index.html", |html| {
        assert!(html.contains("专题") && html.contains("换届选举"), "{html}");
    });
    assert!(site.exists("public/topics/huan-jie-xuan-ju/index.html"));
    site.check_file("public/x/index.html", |html| {
        assert!(
            html.contains("href=\"../topics/huan-jie-xuan-ju/index.html\""),
            "{html}"
        );
    });
}

#[test]
fn rejects_a_taxonomy_that_is_not_declared() {
    let site = SiteTest::fixture("domain").file(
        "content/x.md",
        "---\ntitle: 甲\ntaxonomies:\n  topics: [换届选举]\n---\n\n正文\n",
    );
    let e = error_in(&site);
    assert_eq!(e.path, Path::new("content/x.md"));
    assert!(e.message.contains("unknown taxonomy `topics`"), "{e}");
    assert!(e.hint.unwrap_or_default().contains("[[taxonomies]]"));
}
