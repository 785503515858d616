//! Making the site a trainer's own from site.toml and front matter (issue
//! 16): logo, short title, footer, menu, `[extra]`, the template context's
//! paths and permalinks, share previews, aliases, the feed and 最近更新.

use std::path::Path;

use crate::site_test::SiteTest;

const PAGE: &str = "---\ntitle: 某页\n---\n\n正文。\n";

fn png(size: u32) -> Vec<u8> {
    zhiku::install::png::encode_rgba(size, size, &vec![200; (size * size * 4) as usize])
}

/// A site with a logo, a footer and a menu of each kind of link.
fn customised() -> SiteTest {
    SiteTest::minimal()
        .file(
            "site.toml",
            "title = \"某某街道党工委学习资料库\"\nlogo = \"img/logo.png\"\n\
             footer = \"某某街道党工委编印 · [关于](about.md) · [[术语]] · [外部](https://example.org/x)\"\n\
             [[menu]]\ntitle = \"术语\"\nurl = \"glossary.md\"\n\
             [[menu]]\ntitle = \"案例\"\nurl = \"cases/\"\n\
             [[menu]]\ntitle = \"上级网站\"\nurl = \"https://example.org/\"\n",
        )
        .file("static/img/logo.png", png(256))
        .file("content/about.md", "---\ntitle: 关于\n---\n\n关于本站。\n")
        .file("content/glossary.md", "---\ntitle: 术语\n---\n\n术语。\n")
        .file("content/cases/_index.md", "---\ntitle: 案例\n---\n")
        .file("content/cases/a.md", PAGE)
}

#[test]
fn can_give_the_site_a_logo_footer_and_menu() {
    let site = customised();
    site.build().unwrap();
    let page = site.read("public/cases/a/index.html");
    assert!(
        page.contains("<img class=\"site-logo\" src=\"../../img/logo.png\""),
        "{page}"
    );
    assert!(!page.contains("class=\"site-mark\""));
    assert!(site.exists("public/img/logo.png"));
    // The footer, its links relative to the page, instead of zhiku's note.
    let footer = between(&page, "<div class=\"footer-custom\">", "</div>");
    assert!(footer.contains("某某街道党工委编印"), "{footer}");
    assert!(
        footer.contains("href=\"../../about/index.html\""),
        "{footer}"
    );
    assert!(
        footer.contains("href=\"../../glossary/index.html\">术语</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("href=\"https://example.org/x\""),
        "{footer}"
    );
    assert!(!page.contains("本站由 zhiku 生成"));
    // The menu: content paths resolved, the external link marked as such.
    let menu = between(&page, "<ul class=\"nav-list nav-menu\"", "</ul>");
    let glossary = menu
        .find("href=\"../../glossary/index.html\">术语")
        .unwrap();
    let cases = menu.find("href=\"../index.html\">案例").unwrap();
    let outside = menu
        .find("href=\"https://example.org/\" rel=\"external noopener\"")
        .unwrap_or_else(|| panic!("{menu}"));
    assert!(glossary < cases && cases < outside, "{menu}");
    assert!(menu.contains("aria-label=\"（外部链接）\""), "{menu}");
    // On the page a menu item leads to, the item is marked current.
    let glossary_page = site.read("public/glossary/index.html");
    let menu = between(&glossary_page, "<ul class=\"nav-list nav-menu\"", "</ul>");
    assert!(
        menu.contains("is-current\"><a href=\"index.html\" aria-current=\"page\">术语"),
        "{menu}"
    );
}

#[test]
fn without_footer_and_menu_the_site_looks_as_before() {
    let site = SiteTest::minimal().file("content/a.md", PAGE);
    site.build().unwrap();
    let page = site.read("public/a/index.html");
    assert!(page.contains("本站由 zhiku 生成"));
    assert!(!page.contains("nav-menu"));
    assert!(page.contains("<span class=\"site-mark\" aria-hidden=\"true\">测</span>"));
}

fn config_error(toml: &str) -> zhiku::diagnostics::Diagnostic {
    let site = customised().file("site.toml", toml);
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, Path::new("site.toml"));
    errors.into_iter().next().unwrap()
}

#[test]
fn rejects_a_logo_that_is_not_in_static_at_its_place() {
    let e = config_error("title = \"t\"\n\nlogo = \"img/missing.png\"\n");
    assert_eq!((e.line, e.column), (Some(3), Some(8)), "{e}");
    assert!(e.message.contains("static/img/missing.png"), "{e}");
    for bad in ["../secret.png", "logo.txt", "https://example.org/a.png"] {
        let e = config_error(&format!("title = \"t\"\nlogo = \"{bad}\"\n"));
        assert_eq!(e.line, Some(2), "{bad}: {e}");
        assert!(e.message.contains("`logo`"), "{bad}: {e}");
    }
}

#[test]
fn rejects_a_menu_path_or_footer_link_that_leads_nowhere() {
    let e =
        config_error("title = \"t\"\n[[menu]]\ntitle = \"旧规定\"\nurl = \"regulations/old.md\"\n");
    assert_eq!((e.line, e.column), (Some(4), Some(7)), "{e}");
    assert!(e.message.contains("旧规定"), "{e}");
    assert!(e.message.contains("regulations/old.md"), "{e}");
    let e = config_error("title = \"t\"\n[[menu]]\ntitle = \"x\"\nurl = \"javascript:alert(1)\"\n");
    assert_eq!(e.line, Some(4), "{e}");
    let e = config_error("title = \"t\"\nfooter = \"见 [旧页](old.md)\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(
        e.message.contains("footer") && e.message.contains("old.md"),
        "{e}"
    );
}

#[test]
fn templates_see_extra_path_and_permalink() {
    let probe = "{% if page is defined %}<meta name=probe content=\"{{ config.extra.org }}|{{ site.extra.year }}|{{ page.extra.level }}|{{ page.path }}|{{ page.permalink }}|{{ path }}|{{ permalink }}\">{% elif section is defined and section.path == 'cases/' %}<meta name=probe content=\"{{ section.extra.colour }}|{{ section.path }}\">{% endif %}";
    let site = SiteTest::minimal()
        .file(
            "site.toml",
            "title = \"t\"\nbase_url = \"https://example.org/kb\"\n[extra]\norg = \"某街道\"\nyear = 2026\n",
        )
        .file("templates/head_extra.html", probe)
        .file(
            "content/cases/_index.md",
            "---\ntitle: 案例\nextra:\n  colour: 红\n---\n",
        )
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\nextra:\n  level: 重点\n---\n\n正文。\n",
        );
    site.build().unwrap();
    assert!(
        site.read("public/cases/a/index.html").contains(
            "content=\"某街道|2026|重点|cases/a/|https://example.org/kb/cases/a/|cases/a/|https://example.org/kb/cases/a/\""
        ),
        "{}",
        site.read("public/cases/a/index.html")
    );
    assert!(
        site.read("public/cases/index.html")
            .contains("content=\"红|cases/\"")
    );
    // Front matter `extra` must be a mapping; other unknown keys stay errors.
    site.change_file("content/cases/a.md", "---\ntitle: 甲\nextra: [1, 2]\n---\n");
    let errors = site.expect_errors();
    assert_eq!(errors[0].line, Some(3), "{errors:?}");
    site.change_file("content/cases/a.md", "---\ntitle: 甲\nextras: {}\n---\n");
    assert!(site.expect_errors()[0].message.contains("extras"));
}

#[test]
fn page_extra_survives_the_build_cache() {
    let site = SiteTest::minimal()
        .file("templates/head_extra.html", "{% if page is defined %}<meta name=probe content=\"{{ page.extra.level }}\">{% endif %}")
        .file("content/a.md", "---\ntitle: 甲\nextra:\n  level: 重点\n---\n\n正文。\n");
    assert!(site.run(&["build"]).status.success());
    // Every page is rendered again, from front matter read from the cache.
    site.change_file(
        "templates/head_extra.html",
        "{% if page is defined %}<meta name=probe2 content=\"{{ page.extra.level }}\">{% endif %}",
    );
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        site.read("public/a/index.html")
            .contains("<meta name=probe2 content=\"重点\">")
    );
}

#[test]
fn share_previews_and_canonical_links_need_a_base_url() {
    let site = customised().file(
        "content/cases/a.md",
        "---\ntitle: 甲案例\nsummary: 支部活动空转的教训。\n---\n\n正文。\n",
    );
    site.build().unwrap();
    let page = site.read("public/cases/a/index.html");
    assert!(!page.contains("rel=\"canonical\""));
    assert!(!page.contains("og:url") && !page.contains("og:image"));
    assert!(page.contains("<meta property=\"og:title\" content=\"甲案例\">"));
    assert!(page.contains("<meta property=\"og:description\" content=\"支部活动空转的教训。\">"));
    assert!(!site.exists("public/atom.xml"));
    let toml = site.read("site.toml");
    site.change_file(
        "site.toml",
        format!("base_url = \"https://example.org/kb/\"\n{toml}"),
    );
    site.build().unwrap();
    let page = site.read("public/cases/a/index.html");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/kb/cases/a/\">"));
    assert!(
        page.contains("<meta property=\"og:url\" content=\"https://example.org/kb/cases/a/\">")
    );
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"https://example.org/kb/img/logo.png\">"
        )
    );
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(page.contains("type=\"application/atom+xml\" title=\"某某街道党工委学习资料库：最近更新\" href=\"../../atom.xml\""));
    let home = site.read("public/index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/kb/\">"));
}

#[test]
fn an_alias_sends_the_old_address_to_the_page() {
    let site = SiteTest::minimal().file(
        "content/cases/new-name.md",
        "---\ntitle: 新案例\naliases: [\"cases/old-name/\", \"/旧/案例.html\"]\n---\n\n正文。\n",
    );
    site.build().unwrap();
    let old = site.read("public/cases/old-name/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=../new-name/index.html\">"),
        "{old}"
    );
    assert!(
        old.contains("<a href=\"../new-name/index.html\">新案例</a>"),
        "{old}"
    );
    assert!(
        old.contains("location.replace(\"../new-name/index.html\"+location.hash)"),
        "{old}"
    );
    let other = site.read("public/旧/案例.html");
    assert!(
        other.contains("url=../cases/new-name/index.html"),
        "{other}"
    );
}

#[test]
fn rejects_an_alias_that_takes_a_page_or_leaves_the_site() {
    let site = SiteTest::minimal().file("content/cases/a.md", PAGE).file(
        "content/cases/b.md",
        "---\ntitle: 乙\naliases:\n  - cases/a/\n---\n\n正文。\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, Path::new("content/cases/b.md"));
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(4), Some(5)),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("cases/a/"), "{}", errors[0]);
    // Two pages claiming one old address.
    site.change_file(
        "content/cases/a.md",
        "---\ntitle: 甲\naliases: [old/]\n---\n\n正文。\n",
    );
    site.change_file(
        "content/cases/b.md",
        "---\ntitle: 乙\naliases: [old/]\n---\n\n正文。\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("content/cases/"),
        "{}",
        errors[0]
    );
    for bad in ["../outside/", "https://example.org/a/", "/"] {
        site.change_file("content/cases/a.md", PAGE);
        site.change_file(
            "content/cases/b.md",
            format!("---\ntitle: 乙\naliases: [\"{bad}\"]\n---\n\n正文。\n"),
        );
        let errors = site.expect_errors();
        assert_eq!(errors[0].line, Some(3), "{bad}: {errors:?}");
    }
    // The output of the last good build is still there.
    assert!(!site.exists("public/index.html"));
}

#[test]
fn the_feed_and_recent_list_follow_front_matter_dates() {
    let site = SiteTest::minimal()
        .file(
            "site.toml",
            "title = \"t\"\nbase_url = \"https://example.org/\"\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: 甲\ndate: 2024-01-05\n---\n\n正文。\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 乙\ndate: 2023-03-01\nupdated: 2025-02-01\n---\n\n正文。\n",
        )
        .file("content/c.md", "---\ntitle: 丙\n---\n\n没有日期。\n");
    site.build().unwrap();
    let feed = site.read("public/atom.xml");
    let (b, a) = (
        feed.find("<title>乙</title>").unwrap(),
        feed.find("<title>甲</title>").unwrap(),
    );
    assert!(b < a, "{feed}");
    assert!(!feed.contains("<title>丙</title>"));
    assert!(
        feed.contains("<updated>2025-02-01T00:00:00Z</updated>\n  <generator>"),
        "{feed}"
    );
    assert!(feed.contains("<id>https://example.org/b/</id>"));
    let home = site.read("public/index.html");
    let recent = between(&home, "<ol class=\"recent-list\">", "</ol>");
    let (b, a) = (
        recent.find(">乙</a>").unwrap(),
        recent.find(">甲</a>").unwrap(),
    );
    assert!(b < a, "{recent}");
    assert!(recent.contains("更新于"), "{recent}");
    assert!(!recent.contains(">丙</a>"));
    // Dates, not file times: touching every file changes nothing.
    let before = (feed, home);
    for f in ["content/a.md", "content/b.md", "content/c.md"] {
        let text = site.read(f);
        site.change_file(f, text);
    }
    site.build().unwrap();
    assert_eq!(
        before,
        (site.read("public/atom.xml"), site.read("public/index.html"))
    );
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"));
    let rest = &text[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn a_rebuild_follows_the_menu_and_recent_list_to_their_pages() {
    let toml = customised().read("site.toml");
    let site = customised()
        .file(
            "site.toml",
            format!("{toml}[[menu]]\ntitle = \"重点案例\"\nurl = \"cases/b.md\"\n"),
        )
        .file(
            "content/cases/b.md",
            "---\ntitle: 乙\ndate: 2024-01-01\n---\n\n正文。\n",
        );
    assert!(site.run(&["build"]).status.success());
    // The case moves; nothing the about page shows of it changes but the
    // menu, which must follow.
    site.change_file(
        "content/cases/b.md",
        "---\ntitle: 乙\ndate: 2024-01-01\nslug: key\n---\n\n正文。\n",
    );
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.read("public/about/index.html");
    assert!(
        page.contains("href=\"../cases/key/index.html\">重点案例"),
        "{page}"
    );
    // A page gets a newer date: the home page's list changes.
    site.change_file(
        "content/cases/a.md",
        "---\ntitle: 甲\ndate: 2025-01-01\n---\n\n正文。\n",
    );
    assert!(site.run(&["build"]).status.success());
    let home = site.read("public/index.html");
    let recent = between(&home, "<ol class=\"recent-list\">", "</ol>");
    assert!(
        recent.find(">甲</a>").unwrap() < recent.find(">乙</a>").unwrap(),
        "{recent}"
    );
}
