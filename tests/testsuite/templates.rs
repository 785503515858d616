//! Templates: site overrides, and faults that name the real template file.

use std::path::Path;

use crate::site_test::{SiteTest, copy_tree};

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

/// `site` with a copy of this repository's default theme as its
/// `themes/<name>/` (as the sample site has it).
fn with_theme_copy(site: SiteTest, name: &str) -> SiteTest {
    let theme = site.root.join("themes").join(name);
    std::fs::create_dir_all(&theme).unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    site
}

#[test]
fn a_theme_folder_builds_search_js_from_its_sources() {
    let built_in = SiteTest::minimal();
    built_in.build().unwrap();
    let site = with_theme_copy(SiteTest::minimal(), "default");
    site.build().unwrap();
    assert_eq!(
        site.read("public/assets/search.js"),
        built_in.read("public/assets/search.js")
    );
    // An edited source shows in the next build, without recompiling.
    let main = site.read("themes/default/search/main.js");
    site.change_file("themes/default/search/main.js", main + "// edited\n");
    site.build().unwrap();
    assert!(
        site.read("public/assets/search.js")
            .ends_with("// edited\n})();\n")
    );
}

#[test]
fn a_theme_search_js_overrides_its_sources() {
    let site = with_theme_copy(
        SiteTest::minimal().file("site.toml", "title = \"测试\"\ntheme = \"mine\"\n"),
        "mine",
    )
    .file("themes/mine/static/assets/search.js", "/* mine */");
    site.build().unwrap();
    assert_eq!(site.read("public/assets/search.js"), "/* mine */");
}

#[test]
fn rejects_a_theme_search_folder_without_one_of_its_sources() {
    let site = with_theme_copy(SiteTest::minimal(), "default");
    site.remove_file("themes/default/search/rank.js");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].path,
        Path::new("themes/default/search/rank.js"),
        "{}",
        errors[0]
    );
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
