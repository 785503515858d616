//! Building whole sites: output layout, relative links, determinism,
//! writing only what changed, and the sample site itself.

use std::path::Path;

use crate::link_check::check_site;
use crate::site_test::{SiteTest, mtimes, snapshot};

#[test]
fn can_build_the_basic_fixture() {
    let site = SiteTest::fixture("basic");
    let report = site.build().unwrap();
    assert_eq!((report.pages, report.sections), (2, 2));
    for f in [
        "public/index.html",
        "public/guide/index.html",
        "public/guide/first/index.html",
        "public/guide/second/index.html",
        "public/guide/shi-yi-tu.png",
        "public/404.html",
        "public/robots.txt",
        "public/sitemap.xml",
        "public/assets/zhiku.css",
        "public/assets/syntax.css",
    ] {
        assert!(site.exists(f), "{f} missing");
    }
    site.check_file("public/guide/first/index.html", |html| {
        assert!(html.contains("href=\"../second/index.html\""), "{html}");
        assert!(html.contains("src=\"../shi-yi-tu.png\""));
        assert!(html.contains("<h2 id=\"准备\">准备</h2>"));
        assert!(html.contains("href=\"../../assets/zhiku.css\""));
    });
    site.check_file("public/index.html", |html| {
        assert!(
            html.contains("href=\"guide/first/index.html#准备\""),
            "{html}"
        );
    });
    site.check_file("public/sitemap.xml", |xml| {
        assert!(xml.contains("<loc>https://example.org/kb/guide/first/</loc>"));
    });
    assert_eq!(check_site(&site.root.join("public")), Vec::<String>::new());
}

#[test]
fn output_is_byte_identical_for_identical_input() {
    let site = SiteTest::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    site.build_into(&dir.path().join("a")).unwrap();
    site.build_into(&dir.path().join("b")).unwrap();
    assert_eq!(
        snapshot(&dir.path().join("a")),
        snapshot(&dir.path().join("b"))
    );
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let before = mtimes(&site.root.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build().unwrap();
    assert_eq!(report.write.written, 0);
    assert_eq!(report.write.removed, 0);
    assert_eq!(mtimes(&site.root.join("public")), before);
}

#[test]
fn an_incremental_build_equals_a_clean_build() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    site.change_file(
        "content/guide/second.md",
        "---\ntitle: 第二篇（改）\nweight: 2\n---\n\n改过了。\n",
    );
    site.remove_file("content/guide/示意图.png");
    site.change_file(
        "content/guide/first.md",
        "---\ntitle: 第一篇\nweight: 1\n---\n\n## 准备\n\n无图。\n",
    );
    let report = site.build().unwrap();
    assert!(report.write.removed >= 1);
    assert!(!site.exists("public/guide/shi-yi-tu.png"));
    let clean = tempfile::tempdir().unwrap();
    site.build_into(clean.path()).unwrap();
    assert_eq!(snapshot(&site.root.join("public")), snapshot(clean.path()));
}

#[test]
fn a_removed_page_disappears_from_the_output() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    assert!(site.exists("public/guide/second/index.html"));
    site.change_file(
        "content/guide/first.md",
        "---\ntitle: 第一篇\n---\n\n正文\n",
    );
    site.change_file("content/_index.md", "---\ntitle: 首页\n---\n\n首页\n");
    site.remove_file("content/guide/second.md");
    site.build().unwrap();
    assert!(!site.exists("public/guide/second/index.html"));
    assert!(!site.exists("public/guide/second"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let before = snapshot(&site.root.join("public"));
    let times = mtimes(&site.root.join("public"));
    // Many good pages and one bad one in the middle.
    for i in 0..100 {
        let body = if i == 50 {
            "---\ntitle: [broken\n---\n".to_string()
        } else {
            format!("---\ntitle: 页{i}\n---\n\n正文{i}\n")
        };
        site.change_file(&format!("content/many/p{i:03}.md"), body);
    }
    site.change_file(
        "content/guide/second.md",
        "---\ntitle: 改了\n---\n\n新内容\n",
    );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, Path::new("content/many/p050.md"));
    assert_eq!(snapshot(&site.root.join("public")), before);
    assert_eq!(mtimes(&site.root.join("public")), times);
}

#[test]
fn never_deletes_files_it_did_not_write() {
    let site = SiteTest::fixture("basic")
        .file("public/CNAME", "kb.example.org")
        .file("public/old/keep.html", "mine");
    // Someone else's file: refused without --force (issue 13) …
    assert!(site.build().is_err());
    // … and left alone with it.
    let options = zhiku::pipeline::BuildOptions {
        write: true,
        force: true,
        ..Default::default()
    };
    zhiku::pipeline::build(&site.root, &options, &|_, _| {}).unwrap();
    zhiku::pipeline::build(&site.root, &options, &|_, _| {}).unwrap();
    assert_eq!(site.read("public/CNAME"), "kb.example.org");
    assert_eq!(site.read("public/old/keep.html"), "mine");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::minimal().file(
        "content/d.md",
        "---\ntitle: 草稿\ndraft: true\n---\n\n草稿\n",
    );
    site.build().unwrap();
    assert!(!site.exists("public/d/index.html"));
    let options = zhiku::pipeline::BuildOptions {
        write: true,
        include_drafts: true,
        ..Default::default()
    };
    zhiku::pipeline::build(&site.root, &options, &|_, _| {}).unwrap();
    assert!(site.exists("public/d/index.html"));
}

#[test]
fn the_sample_site_builds_cleanly_with_sound_links() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = zhiku::pipeline::BuildOptions {
        write: true,
        output_dir: Some(out.path().join("public")),
        ..Default::default()
    };
    let report = zhiku::pipeline::build(root, &options, &|_, _| {})
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(report.pages >= 18);
    assert_eq!(check_site(&out.path().join("public")), Vec::<String>::new());
}

#[test]
fn raw_html_and_script_urls_in_content_are_inert() {
    let site = SiteTest::minimal().file(
        "content/x.md",
        "---\ntitle: \"<img src=x onerror=alert(1)>\"\n---\n\n<script>alert(1)</script>\n\n[a](JaVaScRiPt:alert(1)) [b](&#x6a;avascript:alert(2))\n",
    );
    site.build().unwrap();
    site.check_file("public/x/index.html", |html| {
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    });
}

#[test]
fn a_wikilink_shows_a_hostile_title_as_text() {
    let site = SiteTest::minimal()
        .file(
            "content/x.md",
            "---\ntitle: \"<img src=x onerror=alert(1)>\"\nslug: x\n---\n\ntext\n",
        )
        .file("content/y.md", "---\ntitle: y\n---\n\n见[[x]]。\n");
    site.build().unwrap();
    site.check_file("public/y/index.html", |html| {
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;</a>"),
            "{html}"
        );
    });
}
