//! The home page and sections as a trainer shapes them: the order of
//! sections without a `weight`, and the home page's title (issue 16).

use crate::html::{element, links, text};
use crate::site_test::SiteTest;

/// The titles of the links in the element of `page` that starts `<{start}`.
fn titles(site: &SiteTest, page: &str, start: &str) -> Vec<String> {
    links(element(&site.read(page), start))
        .into_iter()
        .map(|[_, title]| title)
        .collect()
}

fn section(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\n{extra}---\n\n{title}的说明。\n")
}

#[test]
fn sections_without_a_weight_follow_the_home_pages_listing() {
    // Pinyin order would be 丙 bing, 丁 ding, 甲 jia, 乙 yi.
    let site = SiteTest::minimal()
        .file(
            "content/_index.md",
            "---\ntitle: 首页\n---\n\n- [乙栏目](yi/_index.md)\n- [一篇页面](page.md)\n- [甲栏目](jia/)\n- [乙栏目，再列一次](yi/_index.md)\n",
        )
        .file("content/page.md", section("一篇页面", ""))
        .file("content/yi/_index.md", section("乙", ""))
        .file("content/jia/_index.md", section("甲", ""))
        .file("content/bing/_index.md", section("丙", ""))
        .file("content/ding/_index.md", section("丁", ""))
        .file("content/wu/_index.md", section("戊", "weight: 1\n"));
    site.build().unwrap();
    // A weight first; then the listed ones in the listing's order; then
    // the others by pinyin of their titles.
    let order = ["戊", "乙", "甲", "丙", "丁"];
    assert_eq!(
        titles(&site, "public/index.html", "ul class=\"section-cards\""),
        order
    );
    let nav = titles(&site, "public/index.html", "nav id=\"site-nav\"");
    let nav_sections: Vec<&str> = nav
        .iter()
        .map(String::as_str)
        .filter(|t| order.contains(t))
        .collect();
    assert_eq!(nav_sections, order);
}

#[test]
fn subsections_follow_their_sections_listing() {
    let site = SiteTest::minimal()
        .file(
            "content/a/_index.md",
            "---\ntitle: 甲\n---\n\n先看[前者](z/_index.md)，再看[后者](../a/y/)。\n",
        )
        .file("content/a/y/_index.md", section("后者", ""))
        .file("content/a/z/_index.md", section("前者", ""));
    site.build().unwrap();
    // Pinyin order would be 后者 (hou), 前者 (qian).
    assert_eq!(
        titles(&site, "public/a/index.html", "ul class=\"section-cards\""),
        ["前者", "后者"]
    );
}

/// The text of the home page's `<h1>`.
fn home_heading(site: &SiteTest) -> String {
    text(element(
        &site.read("public/index.html"),
        "header class=\"home-header\"",
    ))
    .trim()
    .lines()
    .next()
    .unwrap_or_default()
    .to_string()
}

#[test]
fn the_home_page_takes_the_site_title_unless_it_sets_its_own() {
    let site = SiteTest::minimal()
        .file("site.toml", "title = \"某街道党建学习资料\"\n")
        .file(
            "content/_index.md",
            "---\ndescription: 本街道的学习资料。\n---\n\n你好。\n",
        );
    site.build().unwrap();
    assert_eq!(home_heading(&site), "某街道党建学习资料");
    // Front matter with no keys at all, and no _index.md at all.
    site.change_file("content/_index.md", "---\n---\n\n你好。\n");
    site.build().unwrap();
    assert_eq!(home_heading(&site), "某街道党建学习资料");
    site.remove_file("content/_index.md");
    site.change_file("content/a.md", "---\ntitle: 甲\n---\n\n正文。\n");
    site.build().unwrap();
    assert_eq!(home_heading(&site), "某街道党建学习资料");
    // Its own title wins.
    site.change_file("content/_index.md", "---\ntitle: 欢迎\n---\n\n你好。\n");
    site.build().unwrap();
    assert_eq!(home_heading(&site), "欢迎");
}

#[test]
fn rejects_a_section_without_a_title() {
    let site = SiteTest::minimal().file(
        "content/a/_index.md",
        "---\ndescription: 说明\n---\n\n正文。\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.path, std::path::Path::new("content/a/_index.md"));
    assert!(e.message.contains("missing field `title`"), "{e}");
    assert_eq!(e.line, Some(2), "{e}");
}
