//! `zhiku new KIND PATH`: a page of each kind that builds as it is, a
//! site's own archetypes, and the paths and files it refuses.

use crate::html::element;
use crate::site_test::SiteTest;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The front matter's `key: value` line of a file, if any.
fn front_matter_line(file: &str, key: &str) -> Option<String> {
    file.lines()
        .skip(1)
        .take_while(|l| *l != "---")
        .find(|l| l.starts_with(&format!("{key}:")))
        .map(str::to_string)
}

#[test]
fn can_start_a_page_of_each_kind_that_builds_without_a_warning() {
    let site = SiteTest::minimal();
    for (kind, path) in [
        ("regulation", "regulations/示例规定"),
        ("checklist", "content/checklists/zhibu-hui.md"),
        ("case", "cases/会议记录不全.md"),
        ("page", "about"),
    ] {
        let out = site.run(&["new", kind, path, "--title", &format!("新的{kind}")]);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with("Created content/"), "{stdout}");
        assert!(stdout.contains("Next: "), "{stdout}");
    }
    let regulation = site.read("content/regulations/示例规定.md");
    assert_eq!(
        front_matter_line(&regulation, "kind").as_deref(),
        Some("kind: regulation")
    );
    assert_eq!(
        front_matter_line(&regulation, "title").as_deref(),
        Some("title: \"新的regulation\"")
    );
    for key in ["issuer", "issued", "effective", "status"] {
        assert!(front_matter_line(&regulation, key).is_some(), "{key}");
    }
    let checklist = site.read("content/checklists/zhibu-hui.md");
    for key in ["meeting", "frequency", "participants", "duration"] {
        assert!(front_matter_line(&checklist, key).is_some(), "{key}");
    }
    let case = site.read("content/cases/会议记录不全.md");
    for key in ["date", "organisation", "problems", "related"] {
        assert!(front_matter_line(&case, key).is_some(), "{key}");
    }
    assert_eq!(
        front_matter_line(&site.read("content/about.md"), "kind").as_deref(),
        Some("kind: page")
    );

    let report = site.build().unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert_eq!(report.pages, 4);
    // Each page is of its kind: articles, checkboxes, the case card.
    site.check_file("public/regulations/shi-li-gui-ding/index.html", |html| {
        let article = element(html, "div class=\"article\" id=\"第一条\"");
        assert!(article.contains("第一条"), "{article}");
        assert!(html.contains("id=\"第四条\""), "{html}");
    });
    site.check_file("public/checklists/zhibu-hui/index.html", |html| {
        assert_eq!(html.matches("type=\"checkbox\"").count(), 6, "{html}");
    });
    site.check_file("public/cases/hui-yi-ji-lu-bu-quan/index.html", |html| {
        let card = element(html, "section class=\"case-card\"");
        assert!(card.contains("（涉及的党组织"), "{card}");
    });
}

#[test]
fn takes_the_title_from_the_file_name_and_today_as_the_date() {
    let site = SiteTest::minimal();
    let out = site.run(&["new", "case", "cases/会议记录不全"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("The title comes from the file name"),
        "{}",
        text(&out.stdout)
    );
    let case = site.read("content/cases/会议记录不全.md");
    assert_eq!(
        front_matter_line(&case, "title").as_deref(),
        Some("title: \"会议记录不全\"")
    );
    let date = front_matter_line(&case, "date").unwrap();
    let date = date.trim_start_matches("date: ");
    assert!(
        zhiku::content::Date::parse(date).is_some_and(|d| d.year >= 2025),
        "{date}"
    );
}

#[test]
fn can_name_the_site_folder() {
    let site = SiteTest::minimal();
    let out = crate::site_test::zhiku()
        .args(["new", "page", "a/b/c", "--site"])
        .arg(&site.root)
        .current_dir(site.root.parent().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site.exists("content/a/b/c.md"));
    assert!(
        text(&out.stdout).contains("zhiku serve "),
        "{}",
        text(&out.stdout)
    );
    // Outside a site, and without --site: a clear error.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = crate::site_test::zhiku()
        .args(["new", "page", "x"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is not a site folder"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rejects_overwriting_an_existing_file() {
    let site = SiteTest::minimal().file("content/cases/a.md", "---\ntitle: 原有\n---\n\n原文。\n");
    for path in ["cases/a", "cases/a.md", "content/cases/a.md"] {
        let out = site.run(&["new", "case", path]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("error: content/cases/a.md: already exists"),
            "{stderr}"
        );
        assert!(stderr.contains("Nothing was written."), "{stderr}");
    }
    assert_eq!(
        site.read("content/cases/a.md"),
        "---\ntitle: 原有\n---\n\n原文。\n"
    );
}

#[test]
fn rejects_paths_outside_content() {
    let site = SiteTest::minimal();
    let outside = site.root.join("x.md");
    for (path, why) in [
        ("../x", "leads outside content/"),
        ("content/../../x.md", "leads outside content/"),
        ("cases/../../x", "leads outside content/"),
        (outside.to_str().unwrap(), "is an absolute path"),
        (".hidden", "names a file the build skips"),
        (
            "cases/_index.md",
            "`_index.md` holds a section's own front matter",
        ),
    ] {
        let out = site.run(&["new", "page", path]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: {path}: {why}")),
            "{path}: {stderr}"
        );
        assert!(stderr.contains("Nothing was written."), "{stderr}");
    }
    assert!(!outside.exists());
    assert!(!site.root.parent().unwrap().join("x.md").exists());
    assert!(!site.exists("content/cases"));
}

#[cfg(unix)]
#[test]
fn rejects_a_folder_that_links_out_of_content() {
    let site = SiteTest::minimal();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root.join("content/out")).unwrap();
    let out = site.run(&["new", "page", "out/sub/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("would be written outside content/"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn rejects_an_unknown_kind_listing_the_kinds() {
    let site = SiteTest::minimal();
    let out = site.run(&["new", "blog", "a"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("It takes: regulation, checklist, case, quiz, page."),
        "{stderr}"
    );
    assert!(!site.exists("content/a.md"));
}

#[test]
fn a_sites_own_archetype_replaces_the_built_in_skeleton() {
    let archetype = "---\ntitle: {{ title }}\nkind: case\ndate: {{date}}\norganisation: 某街道党工委\n---\n\n# {{ title }}\n\n本街道的案例格式。\n";
    let site = SiteTest::minimal().file("archetypes/case.md", archetype);
    let out = site.run(&["new", "case", "cases/a", "--title", "街道案例"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("from archetypes/case.md"),
        "{}",
        text(&out.stdout)
    );
    let written = site.read("content/cases/a.md");
    let date = front_matter_line(&written, "date").unwrap();
    assert_eq!(
        written,
        archetype
            .replace("{{ title }}", "街道案例")
            .replace("date: {{date}}", &date)
    );
    // Other kinds keep the built-in skeleton.
    let out = site.run(&["new", "checklist", "b"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site.read("content/b.md").contains("## 会前"));
    let report = site.build().unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
}

#[test]
fn rejects_an_archetype_that_would_not_build_at_its_line() {
    let site = SiteTest::minimal().file(
        "archetypes/page.md",
        "---\ntitle: \"{{ title }}\"\nauthor: {{ author }}\n---\n",
    );
    let out = site.run(&["new", "page", "a"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: archetypes/page.md:3:9: unknown placeholder `{{ author }}`"),
        "{stderr}"
    );
    assert!(stderr.contains("{{ title }} and {{ date }}"), "{stderr}");
    assert!(!site.exists("content/a.md"));

    site.change_file(
        "archetypes/page.md",
        "---\ntitle: \"{{ title }}\"\nauthor: 某人\n---\n",
    );
    let out = site.run(&["new", "page", "a"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: archetypes/page.md:3:1: front matter: unknown field `author`"),
        "{stderr}"
    );
    assert!(!site.exists("content/a.md"));
}

/// The closing hint runs as pasted whether or not zhiku is on the PATH
/// (issue 17): off it, the program is named by its full path.
#[test]
fn the_hint_names_the_program_as_it_can_be_run() {
    let site = SiteTest::minimal();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_zhiku")).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = crate::site_test::zhiku_at(&exe)
        .args(["new", "page", "a"])
        .env("PATH", empty.path())
        .current_dir(&site.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("`{} serve`", exe.display())),
        "{stdout}"
    );
    let on_path = crate::site_test::zhiku_at(&exe)
        .args(["new", "page", "b"])
        .env("PATH", exe.parent().unwrap())
        .current_dir(&site.root)
        .output()
        .unwrap();
    assert!(
        text(&on_path.stdout).contains("`zhiku serve`"),
        "{}",
        text(&on_path.stdout)
    );
}
