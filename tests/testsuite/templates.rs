//! Templates: site overrides, and faults that name the real template file.

use std::path::Path;

use crate::site_test::SiteTest;

#[test]
fn a_site_template_overrides_the_theme() {
    let site = SiteTest::minimal()
        .file(
            "templates/page.html",
            "<p>自定义 {{ page.title }}</p><a href=\"{{ root }}index.html\">home</a>",
        )
        .file("content/a.md", "---\ntitle: 甲\n---\n\n正文\n");
    site.build().unwrap();
    assert_eq!(
        site.read("public/a/index.html"),
        "<p>自定义 甲</p><a href=\"../index.html\">home</a>"
    );
}

#[test]
fn a_site_static_file_overrides_the_theme() {
    let site = SiteTest::minimal().file("static/assets/zhiku.css", "body{}");
    site.build().unwrap();
    assert_eq!(site.read("public/assets/zhiku.css"), "body{}");
}

#[test]
fn rejects_a_template_syntax_error_with_file_and_line() {
    let site = SiteTest::minimal().file(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{% for x in %}\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path, Path::new("templates/page.html"));
    assert_eq!(errors[0].line, Some(2), "{}", errors[0]);
    // Pages that did render were written into the fresh folder as they
    // came; the failure removed them again.
    assert!(
        !site.exists("public"),
        "a failed fresh build left output behind"
    );
}

#[test]
fn rejects_a_template_that_extends_itself() {
    let site = SiteTest::minimal().file("templates/section.html", "{% extends \"section.html\" %}");
    let errors = site.expect_errors();
    assert_eq!(errors[0].path, Path::new("templates/section.html"));
    assert!(errors[0].message.contains("loop"), "{}", errors[0]);
}

#[test]
fn reports_a_render_error_once_per_template_location() {
    let site = SiteTest::minimal()
        .file(
            "templates/page.html",
            "{{ page.title }}\n{{ page.nope.deeper }}\n",
        )
        .file("content/a.md", "---\ntitle: 甲\n---\n\n正文\n")
        .file("content/b.md", "---\ntitle: 乙\n---\n\n正文\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path, Path::new("templates/page.html"));
    assert_eq!(errors[0].line, Some(2), "{}", errors[0]);
}

#[test]
fn rejects_an_unknown_theme_listing_the_available_ones() {
    let site = SiteTest::minimal()
        .file("site.toml", "title = \"t\"\ntheme = \"fancy\"\n")
        .file("themes/plain/templates/x.html", "");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, Path::new("site.toml"));
    assert!(errors[0].message.contains("fancy"));
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("available themes: default, plain")
    );
}

#[test]
fn rejects_an_unknown_highlight_theme() {
    let site = SiteTest::minimal().file(
        "site.toml",
        "title = \"t\"\n[markdown]\nhighlight_theme = \"neon\"\n",
    );
    let errors = site.expect_errors();
    assert!(
        errors[0].message.contains("neon") && errors[0].message.contains("InspiredGitHub"),
        "{}",
        errors[0]
    );
}
