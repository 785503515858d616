//! site.toml faults and output-folder safety.

use std::path::Path;

use crate::site_test::SiteTest;

#[test]
fn rejects_an_unknown_config_key_with_line_and_valid_keys() {
    let site = SiteTest::minimal().file("site.toml", "title = \"t\"\nlanguge = \"zh-TW\"\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, Path::new("site.toml"));
    assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(1)));
    assert!(errors[0].message.contains("language"), "{}", errors[0]);
}

#[test]
fn a_missing_site_toml_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let failure = zhiku::pipeline::build(dir.path(), &Default::default(), &|_, _| {}).unwrap_err();
    assert!(
        failure.diagnostics[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("zhiku init")
    );
}

#[test]
fn refuses_output_folders_that_would_destroy_sources() {
    let site = SiteTest::minimal();
    for out in [".", "content", "content/public", "..", "static/x"] {
        let failure = site.build_into(&site.root.join(out)).unwrap_err();
        assert!(
            failure.diagnostics[0].message.contains("refusing"),
            "{out}: {:?}",
            failure.diagnostics
        );
    }
    assert_eq!(
        site.read("content/_index.md"),
        "---\ntitle: 首页\n---\n\n你好。\n"
    );
}

#[cfg(unix)]
#[test]
fn refuses_an_output_symlink_that_leaves_the_site() {
    let site = SiteTest::minimal();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("precious.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root.join("public")).unwrap();
    let failure = site.build().unwrap_err();
    assert!(
        failure.diagnostics[0].message.contains("symlink"),
        "{:?}",
        failure.diagnostics
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn rejects_a_content_symlink_that_leaves_the_site() {
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("secret.md"),
        "---\ntitle: 秘密\n---\n\n秘密\n",
    )
    .unwrap();
    let site = SiteTest::minimal();
    std::os::unix::fs::symlink(
        elsewhere.path().join("secret.md"),
        site.root.join("content/leak.md"),
    )
    .unwrap();
    let errors = site.expect_errors();
    assert_eq!(errors[0].path, Path::new("content/leak.md"));
    assert!(errors[0].message.contains("outside"), "{}", errors[0]);
}

#[test]
fn editor_temp_files_are_never_pages() {
    let site = SiteTest::minimal()
        .file("content/a.md___jb_tmp___", "---\ntitle: 临时\n---\n")
        .file("content/.a.md.swp", "junk")
        .file("content/a.md~", "junk")
        .file("content/#a.md#", "junk");
    site.build().unwrap();
    let files = crate::site_test::snapshot(&site.root.join("public"));
    assert!(
        files
            .iter()
            .all(|(p, _)| !p.contains("jb") && !p.contains("swp") && !p.contains('~')),
        "{files:?}"
    );
}
