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

/// Issue 17: the sample site carries zhiku's own guide, in Chinese, for
/// trainers: a section 使用说明 whose pages come in reading order, reached
/// from the home page's list and from 关于本站.
#[test]
fn the_sample_site_has_its_guide_in_chinese() {
    use crate::html::{element, links, text};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let options = zhiku::pipeline::BuildOptions {
        write: true,
        output_dir: Some(public.clone()),
        ..Default::default()
    };
    let report = zhiku::pipeline::build(root, &options, &|_, _| {})
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let read = |rel: &str| {
        std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };

    let index = read("guide/index.html");
    assert_eq!(text(element(&index, "h1")).trim(), "使用说明");
    // The section's listing, in the order a trainer reads it: install
    // first, the kinds of page in the middle, the errors near the end.
    let listed = links(element(&index, "ol class=\"page-list\""));
    let expected = [
        ("anzhuang", "安装"),
        ("xinjian-zhandian", "新建站点"),
        ("jiben-xiefa", "基本写法"),
        ("xie-zhidu-guiding", "写制度规定"),
        ("xie-huiyi-qingdan", "写会议清单"),
        ("xie-anli", "写案例"),
        ("yulan", "预览"),
        ("fabu", "发布"),
        ("lixian-fuben", "离线副本"),
        ("changjian-cuowu", "常见错误"),
        ("minglinghang", "命令速查"),
    ];
    let mut rest = listed.iter();
    for (slug, title) in expected {
        let href = format!("{slug}/index.html");
        assert!(
            rest.any(|[h, t]| *h == href && t.trim() == title),
            "{title} ({href}) is not listed in order in {listed:#?}"
        );
    }

    // Each page is an ordinary page, with the text of its subject.
    let page = |slug: &str| {
        let html = read(&format!("guide/{slug}/index.html"));
        assert!(
            html.contains("<article class=\"page kind-page"),
            "guide/{slug} is not a plain page"
        );
        text(element(&html, "div class=\"content\""))
    };
    let install = page("anzhuang");
    for needle in [
        "rustup",
        "cargo install --path .",
        "cargo install --git",
        "PATH",
        "zhiku --version",
    ] {
        assert!(install.contains(needle), "安装 does not mention {needle}");
    }
    let errors = page("changjian-cuowu");
    for needle in [
        "title：以案促改",
        "后面是全角冒号",
        "最接近的标题：[[示例基层党支部工作规定#第十五条]]",
        "＃",
    ] {
        assert!(
            errors.contains(needle),
            "常见错误 does not mention {needle}"
        );
    }
    let publish = page("fabu");
    for needle in ["zhiku build", "base_url", "--base-url", "--strict"] {
        assert!(publish.contains(needle), "发布 does not mention {needle}");
    }
    let commands = page("minglinghang");
    for needle in [
        "--lang",
        "ZHIKU_LANG",
        "--color",
        "NO_COLOR",
        "zhiku completions",
    ] {
        assert!(
            commands.contains(needle),
            "命令速查 does not mention {needle}"
        );
    }

    // Reached from the home page's own list and from 关于本站, not only
    // from the navigation.
    let home = read("index.html");
    assert!(
        links(element(&home, "div class=\"content\""))
            .iter()
            .any(|[h, t]| h == "guide/index.html" && t == "使用说明"),
        "the home page's list does not link to the guide"
    );
    let about = read("about/index.html");
    assert!(
        links(element(&about, "div class=\"content\""))
            .iter()
            .any(|[h, _]| h == "../guide/index.html"),
        "关于本站 does not link to the guide"
    );
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
