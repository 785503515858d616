//! The `zhiku` binary: exit codes, messages, `init`, `check`.

use crate::site_test::SiteTest;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_exits_zero_and_prints_one_summary_line() {
    let site = SiteTest::fixture("basic");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("Built 2 pages and 2 sections"),
        "{stdout}"
    );
    assert!(stdout.contains("files written"), "{stdout}");
}

#[test]
fn summaries_count_in_the_singular_for_one() {
    let site = SiteTest::minimal().file("content/a.md", "---\ntitle: 甲\n---\n\n正文。\n");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Checked 1 page and 1 section in "),
        "{stdout}"
    );
    site.change_file("content/a.md", "---\ntitle: 甲\n---\n\n[[没有这一页]]\n");
    let out = site.run(&["build"]);
    assert!(
        text(&out.stderr).contains("Build failed with 1 error; nothing was written."),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn build_fails_with_every_error_and_a_nonzero_exit() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\ntitle: 甲\nauthor: x\n---\n")
        .file("content/b.md", "---\ntitle: 乙\n---\n\n[x](gone.md)\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: content/a.md:3:1: front matter: unknown field `author`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: content/b.md:5:1: broken link `gone.md`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Build failed with 2 errors; nothing was written."),
        "{stderr}"
    );
    assert!(!site.exists("public"));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = SiteTest::fixture("basic");
    let out = site.run(&["build", "--quiet"]);
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn timings_name_every_stage() {
    let site = SiteTest::fixture("basic");
    let out = site.run(&["build", "--timings", "-o", "elsewhere"]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    for stage in zhiku::pipeline::STAGES {
        assert!(stderr.contains(stage), "{stage} missing from {stderr}");
    }
    assert!(site.exists("elsewhere/index.html"));
}

#[test]
fn check_validates_without_writing() {
    let site = SiteTest::fixture("basic");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Checked 2 pages"));
    assert!(!site.exists("public"));
    site.change_file(
        "content/guide/first.md",
        "---\ntitle: 甲\n---\n\n[x](../nowhere.md)\n",
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("content/guide/first.md:5:1"),
        "{}",
        text(&out.stderr)
    );
    assert!(!site.exists("public"));
}

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("我的站点");
    let out = crate::site_test::zhiku()
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for kind in ["regulations", "checklists", "cases"] {
        assert!(target.join("content").join(kind).join("_index.md").exists());
    }
    let out = crate::site_test::zhiku()
        .arg("build")
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        target.join("public/cases/shi-li-an-li/index.html").exists()
            || target.join("public/cases/shili-anli/index.html").exists()
    );
    let config = std::fs::read_to_string(target.join("site.toml")).unwrap();
    assert!(config.contains("site_id = \"wo-de-zhan-dian\""), "{config}");
    // The home page's title is the site's, written once in site.toml; its
    // sections follow its own list, not the pinyin of their titles.
    let home = std::fs::read_to_string(target.join("public/index.html")).unwrap();
    let header = crate::html::element(&home, "header class=\"home-header\"");
    assert!(header.contains("<h1>我的站点</h1>"), "{header}");
    let cards: Vec<String> =
        crate::html::links(crate::html::element(&home, "ul class=\"section-cards\""))
            .into_iter()
            .map(|[_, title]| title)
            .collect();
    assert_eq!(cards, ["制度规定", "会议清单", "案例分析"]);
    let again = crate::site_test::zhiku()
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("not empty"));
}

#[test]
fn help_explains_the_commands() {
    let out = crate::site_test::zhiku().arg("--help").output().unwrap();
    let help = text(&out.stdout);
    for cmd in ["init", "build", "check"] {
        assert!(help.contains(cmd), "{help}");
    }
}

/// Runs `exe init` of a new folder `name` with PATH set to `path_var`,
/// then runs the command of its closing hint through sh with the same PATH
/// (issue 17: "Next: cd … && zhiku build" said `command not found` when
/// zhiku was not on the PATH). Returns the hint's command and the folder.
#[cfg(unix)]
fn init_and_follow_the_hint(
    exe: &std::path::Path,
    path_var: &std::ffi::OsStr,
    parent: &std::path::Path,
    name: &str,
) -> (String, std::path::PathBuf) {
    let target = parent.join(name);
    let out = crate::site_test::zhiku_at(exe)
        .arg("init")
        .arg(&target)
        .env("PATH", path_var)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let hint = stdout.lines().last().unwrap_or_default();
    let command = hint
        .strip_prefix("Next: ")
        .unwrap_or_else(|| panic!("{stdout}"));
    let ran = std::process::Command::new("/bin/sh")
        .env("ZHIKU_LANG", "en")
        .arg("-c")
        .arg(command)
        .env("PATH", path_var)
        .current_dir(parent)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "`{command}` failed: {}{}",
        text(&ran.stdout),
        text(&ran.stderr)
    );
    assert!(target.join("public/index.html").is_file(), "{command}");
    (command.to_string(), target)
}

#[cfg(unix)]
#[test]
fn issue_17_init_hint_gives_the_full_path_when_zhiku_is_not_on_the_path() {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_zhiku")).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (command, target) =
        init_and_follow_the_hint(&exe, empty.path().as_os_str(), dir.path(), "我的学习站");
    assert_eq!(
        command,
        format!("cd {} && {} build", target.display(), exe.display())
    );
}

#[cfg(unix)]
#[test]
fn issue_17_init_hint_says_zhiku_when_it_is_on_the_path() {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_zhiku")).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let path_var = std::env::join_paths([empty.path(), exe.parent().unwrap()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (command, target) = init_and_follow_the_hint(&exe, &path_var, dir.path(), "我的学习站");
    assert_eq!(command, format!("cd {} && zhiku build", target.display()));
}

/// A program in a folder with a space (`C:\Program Files`, `/Users/Li Ming`)
/// is named in quotes, and so is a site folder with one.
#[cfg(unix)]
#[test]
fn issue_17_init_hint_quotes_paths_with_spaces() {
    let tools = tempfile::Builder::new()
        .prefix("zhiku tools ")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let exe = tools.path().join("zhiku");
    // A hard link runs as itself (current_exe is its path); a copy if the
    // link is refused.
    if std::fs::hard_link(env!("CARGO_BIN_EXE_zhiku"), &exe).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_zhiku"), &exe).unwrap();
    }
    let exe = std::fs::canonicalize(exe).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (command, target) =
        init_and_follow_the_hint(&exe, empty.path().as_os_str(), dir.path(), "my site");
    assert_eq!(
        command,
        format!("cd \"{}\" && \"{}\" build", target.display(), exe.display())
    );
}

#[test]
fn errors_show_the_source_line_and_a_caret_under_the_column() {
    let site = SiteTest::minimal()
        .file("content/a.md", "---\ntitle：以案促改\n---\n")
        .file(
            "content/b.md",
            "---\ntitle: 乙\n---\n\n请看[[乙＃第一条]]。\n",
        );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    // The first line stays `path:line:col: message` for editors; the caret
    // sits under `：`, after five one-column letters…
    let colon = "error: content/a.md:2:6: front matter: full-width colon `：` after `title`\n  |\n2 | title：以案促改\n  |      ^^\n  hint: ";
    assert!(stderr.contains(colon), "{stderr}");
    // …and under `＃`, after four two-column characters (请看[[乙 is eight
    // columns wide, though `＃` is its sixth character).
    let hash = ":5:6: no page is titled, named or stored as `乙＃第一条`\n  |\n5 | 请看[[乙＃第一条]]。\n  |         ^^\n  hint: ";
    assert!(stderr.contains(hash), "{stderr}");
}
