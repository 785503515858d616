//! What zhiku says on the terminal, in Chinese and English (issue 17): the
//! language from `--lang`, `ZHIKU_LANG` or the locale, diagnostics with
//! their source line, exit codes, `--strict`, `--base-url`, colour and
//! completions.

use std::process::{Command, Output};

use crate::site_test::{SiteTest, zhiku};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `zhiku ARGS` in `site` with no language chosen but `LANG=lang` (and no
/// `LC_ALL` or `LC_MESSAGES` to override it).
fn with_locale(site: &SiteTest, lang: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhiku"));
    command
        .args(args)
        .current_dir(&site.root)
        .env_remove("ZHIKU_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang);
    command.output().unwrap()
}

/// A site with two errors: a full-width colon in front matter, and a
/// cross reference with a full-width `＃`.
fn broken() -> SiteTest {
    SiteTest::minimal()
        .file("content/a.md", "---\ntitle：以案促改\n---\n\n正文。\n")
        .file(
            "content/b.md",
            "---\ntitle: 乙\n---\n\n请看[[乙＃第一条]]。\n",
        )
}

#[test]
fn a_chinese_locale_gives_chinese_messages_and_c_gives_english() {
    let site = broken();
    let zh = with_locale(&site, "zh_CN.UTF-8", &["build"]);
    assert_eq!(zh.status.code(), Some(1));
    let stderr = text(&zh.stderr);
    assert!(
        stderr.contains("构建失败，共 2 处错误；没有写入任何文件。"),
        "{stderr}"
    );
    assert!(stderr.contains("错误：content/a.md:2:6："), "{stderr}");

    let c = with_locale(&site, "C", &["build"]);
    let stderr = text(&c.stderr);
    assert!(
        stderr.contains("Build failed with 2 errors; nothing was written."),
        "{stderr}"
    );
    assert!(!stderr.contains("构建失败"), "{stderr}");

    // Traditional Chinese locales read Simplified more easily than English.
    let tw = with_locale(&site, "zh_TW.UTF-8", &["build"]);
    assert!(text(&tw.stderr).contains("构建失败"));
}

#[test]
fn the_flag_beats_the_variable_and_the_variable_beats_the_locale() {
    let site = broken();
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhiku"));
    let out = command
        .args(["build"])
        .current_dir(&site.root)
        .env("LANG", "zh_CN.UTF-8")
        .env("ZHIKU_LANG", "en")
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("Build failed"),
        "{}",
        text(&out.stderr)
    );
    let out = zhiku()
        .args(["--lang", "zh", "build"])
        .current_dir(&site.root)
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("构建失败"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn diagnostics_show_the_line_and_a_caret_in_both_languages() {
    let site = broken();
    for lang in ["en", "zh"] {
        let out = site.run(&["--lang", lang, "build"]);
        assert_eq!(out.status.code(), Some(1));
        insta::assert_snapshot!(format!("diagnostics_{lang}"), text(&out.stderr));
    }
}

#[test]
fn a_full_width_colon_is_pointed_at_with_a_hint_in_chinese() {
    let site = broken();
    let out = site.run(&["--lang", "zh", "check"]);
    let stderr = text(&out.stderr);
    // Column 6, under `：` (two columns wide), then the hint.
    let expected = "错误：content/a.md:2:6：";
    let at = stderr.find(expected).unwrap_or_else(|| panic!("{stderr}"));
    let lines: Vec<&str> = stderr[at..].lines().take(5).collect();
    assert_eq!(lines[2], "2 | title：以案促改", "{stderr}");
    assert_eq!(lines[3], "  |      ^^", "{stderr}");
    assert!(lines[4].starts_with("  提示："), "{stderr}");
    assert!(lines[4].contains("title: "), "{stderr}");
}

#[test]
fn strict_fails_on_a_warning_and_writes_nothing() {
    // A page that is only front matter is a warning.
    let site = SiteTest::minimal().file("content/only.md", "---\ntitle: 只有标题\n---\n");
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning: content/only.md"), "{stderr}");
    assert!(stderr.contains("1 warning with --strict"), "{stderr}");
    assert!(!site.exists("public"));
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    // Without it, the warning is printed and the build succeeds.
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(site.exists("public/only/index.html"));
}

#[test]
fn base_url_replaces_site_toml_s_for_one_build() {
    let site = SiteTest::minimal();
    let out = site.run(&["build", "--base-url", "https://example.org/xuexi"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let home = site.read("public/index.html");
    assert!(
        home.contains(r#"<link rel="canonical" href="https://example.org/xuexi/">"#),
        "{home}"
    );
    let out = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`example.org` is not a value `--base-url <URL>` takes: it must be a whole http(s) address"), "{stderr}");
}

#[test]
fn exit_codes_tell_usage_from_content_from_io() {
    let site = broken();
    // 2: the command line.
    let out = site.run(&["build", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = site.run(&["--lang", "zh", "build", "--frobnicate"]);
    assert!(text(&out.stderr).contains("zhiku 没有 `--frobnicate` 这个选项"));
    let out = site.run(&["--lang", "zh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("zhiku 后面要写一个命令：init, new, build"),
        "{}",
        text(&out.stderr)
    );
    // 1: the content.
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
    // 3: a folder that cannot be written (the output is under a file).
    let site = SiteTest::minimal().file("blocker", "a file, not a folder");
    let out = site.run(&["build", "-o", "blocker/public"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
}

#[test]
fn help_as_a_command_is_the_command_s_help() {
    let site = SiteTest::minimal();
    let asked = site.run(&["--lang", "zh", "help", "build"]);
    let flag = site.run(&["--lang", "zh", "build", "--help"]);
    assert_eq!(asked.status.code(), Some(0));
    assert_eq!(text(&asked.stdout), text(&flag.stdout));
    assert!(text(&asked.stdout).contains("--strict"));
    assert!(text(&asked.stdout).contains("把警告当作错误"));
    // Every command's help builds in both languages (clap checks the
    // command tree when it is used).
    for lang in ["zh", "en"] {
        for command in [
            "init",
            "new",
            "build",
            "serve",
            "watch",
            "check",
            "clean",
            "pack",
            "completions",
        ] {
            let out = site.run(&["--lang", lang, command, "--help"]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{lang} {command}: {}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let site = broken();
    let out = site.run(&["build", "--color", "always"]);
    assert!(text(&out.stderr).contains("\x1b["), "{}", text(&out.stderr));
    let out = site.run(&["build", "--color", "never"]);
    assert!(!text(&out.stderr).contains('\x1b'));
    // Not a terminal: auto means none.
    let out = site.run(&["build"]);
    assert!(!text(&out.stderr).contains('\x1b'));
    let out = zhiku()
        .args(["build", "--color", "auto"])
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!text(&out.stderr).contains('\x1b'));
}

#[test]
fn completions_are_written_for_each_shell() {
    let site = SiteTest::minimal();
    let bash = site.run(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let bash = text(&bash.stdout);
    assert!(bash.contains("_zhiku()"), "{bash}");
    assert!(bash.contains("--base-url"), "{bash}");
    let fish = text(&site.run(&["completions", "fish"]).stdout);
    assert!(fish.contains("complete -c zhiku"), "{fish}");
    let out = site.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quiet_and_verbose_work_on_every_command() {
    let site = SiteTest::minimal();
    let out = site.run(&["check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let out = site.run(&["-v", "build"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("render"), "{stderr}");
    let out = site.run(&["build", "-q", "-v"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn other_input_method_slips_are_pointed_at_with_a_hint() {
    let site = SiteTest::minimal()
        .file(
            "content/a.md",
            "---\ntitle:以案促改\ndate: 2024-01-01\n---\n\n正文。\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: 乙\ntags: [组织建设，基层治理]\n---\n\n正文。\n",
        )
        .file("content/c.md", "---\ntitle: 会议: 记录\n---\n\n正文。\n");
    let errors = site.expect_errors();
    let found = |file: &str| {
        errors
            .iter()
            .find(|d| d.path.ends_with(file))
            .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))
    };
    let a = found("a.md");
    assert_eq!((a.line, a.column), (Some(2), Some(6)), "{a}");
    assert!(a.message.contains("no space after the colon"), "{a}");
    let b = found("b.md");
    assert_eq!((b.line, b.column), (Some(3), Some(12)), "{b}");
    assert!(
        b.hint
            .as_deref()
            .unwrap_or_default()
            .contains("half-width `,`"),
        "{b}"
    );
    let c = found("c.md");
    assert!(
        c.hint
            .as_deref()
            .unwrap_or_default()
            .contains("must be quoted"),
        "{c}"
    );
    // The same, read in Chinese.
    let out = site.run(&["--lang", "zh", "check"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`title:` 的冒号后面没有空格"), "{stderr}");
    assert!(
        stderr.contains("`tags` 的列表各项之间用了全角的 `，`"),
        "{stderr}"
    );
    assert!(stderr.contains("要给整个值加上半角引号"), "{stderr}");
}
