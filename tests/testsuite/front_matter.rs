//! Bad front matter and bad files: each gives an error naming the file,
//! and the line and column in the file where they are known.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::site_test::SiteTest;

fn one_error(site: &SiteTest) -> zhiku::diagnostics::Diagnostic {
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn rejects_invalid_yaml_with_file_line_and_column() {
    // The bad line is file line 4 (front-matter line 3).
    let site = SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-01-01\ntags: [组织, 建设]]\n---\n\n正文\n",
    );
    let e = one_error(&site);
    assert_eq!(e.path, Path::new("content/a.md"));
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.column.is_some(), "{e}");
}

#[test]
fn rejects_missing_title() {
    let site = SiteTest::minimal().file("content/a.md", "---\ndate: 2024-01-01\n---\n\n正文\n");
    let e = one_error(&site);
    assert!(e.message.contains("missing field `title`"), "{e}");
    assert_eq!(e.path, Path::new("content/a.md"));
}

#[test]
fn rejects_empty_title() {
    let e =
        one_error(&SiteTest::minimal().file("content/a.md", "---\ntitle: \"  \"\n---\n\n正文\n"));
    assert!(e.message.contains("title"), "{e}");
}

#[test]
fn rejects_unknown_key_listing_valid_keys() {
    let site =
        SiteTest::minimal().file("content/a.md", "---\ntitle: 甲\nauthor: 乙\n---\n\n正文\n");
    let e = one_error(&site);
    assert_eq!((e.line, e.column), (Some(3), Some(1)), "{e}");
    assert!(e.message.contains("unknown field `author`"), "{e}");
    assert!(
        e.message.contains("`title`") && e.message.contains("`tags`"),
        "{e}"
    );
}

#[test]
fn rejects_unknown_kind_and_invalid_status_at_their_lines() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\ntitle: 甲\nkind: blog\n---\n\n正文\n")
        .file(
            "content/b.md",
            "---\ntitle: 乙\n\nstatus: 作废\n---\n\n正文\n",
        );
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(3), Some(7)),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("regulation"), "{}", errors[0]);
    assert_eq!(errors[1].line, Some(4), "{}", errors[1]);
    assert!(errors[1].message.contains("repealed"), "{}", errors[1]);
}

#[test]
fn rejects_invalid_dates() {
    let e = one_error(&SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-02-30\n---\n\n正文\n",
    ));
    assert_eq!((e.line, e.column), (Some(3), Some(7)), "{e}");
    assert!(e.message.contains("YYYY-MM-DD"), "{e}");
}

#[test]
fn rejects_non_utf8_files() {
    let e = one_error(&SiteTest::minimal().file(
        "content/gbk.md",
        b"---\ntitle: \xd6\xa7\xb2\xbf\n---\n".as_slice(),
    ));
    assert_eq!(e.path, Path::new("content/gbk.md"));
    assert!(e.message.contains("UTF-8"), "{e}");
    assert_eq!(e.line, Some(2));
}

#[test]
fn accepts_a_byte_order_mark() {
    let site =
        SiteTest::minimal().file("content/bom.md", "\u{feff}---\ntitle: 带BOM\n---\n\n正文\n");
    site.build().unwrap();
    site.check_file("public/bom/index.html", |html| {
        assert!(html.contains("带BOM"))
    });
}

#[test]
fn rejects_an_empty_file() {
    let e = one_error(&SiteTest::minimal().file("content/empty.md", ""));
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(e.path, Path::new("content/empty.md"));
}

#[test]
fn warns_about_a_file_that_is_only_front_matter() {
    let site = SiteTest::minimal().file("content/only.md", "---\ntitle: 只有标题\n---\n");
    let report = site.build().unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].path, Path::new("content/only.md"));
    assert!(site.exists("public/only/index.html"));
}

#[test]
fn rejects_a_file_without_front_matter() {
    let e = one_error(&SiteTest::minimal().file("content/plain.md", "# 标题\n\n正文\n"));
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("front matter"), "{e}");
}

#[test]
fn rejects_binary_junk_named_md() {
    let mut junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk[10] = 0;
    let e = one_error(&SiteTest::minimal().file("content/junk.md", junk));
    assert_eq!(e.path, Path::new("content/junk.md"));
    assert!(e.message.contains("binary"), "{e}");
}

#[test]
fn rejects_huge_front_matter_fast() {
    let huge = format!(
        "---\ntitle: 大\nsummary: \"{}\"\n---\n\n正文\n",
        "很长".repeat(2_500_000)
    );
    let site = SiteTest::minimal().file("content/huge.md", huge);
    let start = Instant::now();
    let e = one_error(&site);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert!(e.message.contains("limit"), "{e}");
}

#[test]
fn rejects_a_yaml_alias_bomb_fast() {
    let mut yaml = String::from(
        "---\ntitle: 炸弹\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    for (name, prev) in ('b'..='j').zip('a'..='i') {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    yaml.push_str("tags: *j\n---\n\n正文\n");
    let site = SiteTest::minimal().file("content/bomb.md", yaml);
    let start = Instant::now();
    let errors = site.expect_errors();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(errors[0].path, Path::new("content/bomb.md"));
}

#[test]
fn rejects_deeply_nested_yaml() {
    let deep = format!(
        "---\ntitle: 深\ntags: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = one_error(&SiteTest::minimal().file("content/deep.md", deep));
    assert_eq!(e.path, Path::new("content/deep.md"));
}

#[test]
fn rejects_unsafe_slugs() {
    let e = one_error(&SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\nslug: ../../x\n---\n\n正文\n",
    ));
    assert!(e.message.contains("invalid slug"), "{e}");
}

#[test]
fn reports_every_content_error_in_one_run() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\ntitle: [\n---\n")
        .file("content/b.md", "---\nbogus: 1\ntitle: b\n---\n")
        .file("content/c.md", "---\ntitle: c\n---\n\n[x](missing.md)\n")
        .file("content/d.md", "");
    let errors = site.expect_errors();
    let files: Vec<_> = errors
        .iter()
        .map(|e| e.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        [
            "content/a.md",
            "content/b.md",
            "content/c.md",
            "content/d.md"
        ],
        "{errors:#?}"
    );
}

#[test]
fn rejects_a_full_width_colon_at_the_colon_with_a_hint() {
    // `：` is the sixth character of line 2; `date：` the fifth of line 3,
    // where YAML alone would have blamed line 4.
    for (text, line, column) in [
        ("---\ntitle：以案促改\n---\n\n正文\n", 2, 6),
        ("---\ntitle: 甲\ndate：2024-01-01\n---\n\n正文\n", 3, 5),
    ] {
        let e = one_error(&SiteTest::minimal().file("content/a.md", text));
        assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}");
        assert!(e.message.contains("full-width colon `：`"), "{e}");
        let hint = e.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("half-width `:` followed by a space"), "{e}");
        assert!(!e.message.contains("PageMeta"), "{e}");
    }
}

#[test]
fn accepts_full_width_colons_in_values() {
    let site = SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 时间：2024年\nsummary: >\n  Note：indented text\n---\n\n正文\n",
    );
    site.build().unwrap();
}

#[test]
fn rejects_a_look_alike_fence_with_a_hint() {
    for fence in ["———", "－－－", "ーーー", "——"] {
        let opening = format!("{fence}\ntitle: 甲\n---\n\n正文\n");
        let closing = format!("---\ntitle: 甲\n{fence}\n\n正文\n");
        for (text, line) in [(opening, 1), (closing, 3)] {
            let e = one_error(&SiteTest::minimal().file("content/a.md", text));
            assert_eq!((e.line, e.column), (Some(line), Some(1)), "{e}");
            assert!(e.message.contains("look-alike dashes"), "{e}");
            let hint = e.hint.as_deref().unwrap_or_default();
            assert!(hint.contains("three half-width hyphens, `---`"), "{e}");
        }
    }
}

#[test]
fn rejects_an_unclosed_bracket_at_the_bracket() {
    // YAML notices at the end of the front matter (file line 4); the `[`
    // to close is on line 3, column 7.
    let site = SiteTest::minimal().file(
        "content/a.md",
        "---\ntitle: 甲\ntags: [组织建设, 基层治理\n---\n",
    );
    let e = one_error(&site);
    assert_eq!((e.line, e.column), (Some(3), Some(7)), "{e}");
    assert!(e.message.contains("this `[` is not closed"), "{e}");
    let hint = e.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("close the list with `]`"), "{e}");
}

#[test]
fn names_no_rust_types_in_yaml_errors() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\n只是一句话\n---\n")
        .file("content/s/_index.md", "---\n只是一句话\n---\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for e in errors {
        assert_eq!((e.line, e.column), (Some(2), Some(1)), "{e}");
        assert!(!e.message.contains("struct"), "{e}");
        assert!(e.message.contains("expected `key: value` lines"), "{e}");
        assert!(e.hint.is_some(), "{e}");
    }
}
