//! Quizzes as a trainer writes them: every question is checked at build
//! time, with file, line and column; a good quiz page carries its
//! questions, hidden answers and the cited articles' text.

use std::path::Path;

use crate::site_test::SiteTest;

const REGULATION: &str = "---\ntitle: 示例规定\nkind: regulation\n---\n\n第一条 总则。\n\n第五条 支部委员会每月召开一次会议。\n";

fn quiz_site(body: &str) -> SiteTest {
    SiteTest::minimal()
        .file("content/rules.md", REGULATION)
        .file(
            "content/quiz.md",
            format!("---\ntitle: 自测\nkind: quiz\n---\n\n{body}"),
        )
}

/// (line, column, message) of each error of a quiz whose body starts on
/// line 6 of its file.
fn errors(body: &str) -> Vec<(usize, usize, String)> {
    quiz_site(body)
        .expect_errors()
        .into_iter()
        .map(|d| {
            assert_eq!(d.path, Path::new("content/quiz.md"), "{d}");
            (d.line.unwrap_or(0), d.column.unwrap_or(0), d.message)
        })
        .collect()
}

#[test]
fn a_quiz_page_builds_with_its_questions_and_quotes() {
    let site = quiz_site(
        "1. 支部委员会多久开一次会？\n   - [ ] 每周\n   - [x] 每月\n\n   解析：见 [[示例规定#第五条]]。\n\n2. 党课每{{季度}}讲一次。\n",
    );
    site.build().unwrap();
    let html = site.read("public/quiz/index.html");
    assert_eq!(html.matches("class=\"quiz-q\"").count(), 2, "{html}");
    assert!(html.contains("data-kind=\"single\""), "{html}");
    assert!(html.contains("data-kind=\"blank\""), "{html}");
    // The explanation quotes the article it cites, with a link to it.
    assert!(
        html.contains("<blockquote class=\"quiz-cite\"><p>支部委员会每月召开一次会议。</p>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../rules/index.html#第五条\">《示例规定》第五条</a></footer>"),
        "{html}"
    );
    // The page loads the quiz script and says where answers are kept.
    assert!(html.contains("data-quiz-key=\"zhiku:"), "{html}");
    assert!(html.contains("assets/quiz.js"), "{html}");
    // The cited article lists the quiz among the pages citing it.
    let rules = site.read("public/rules/index.html");
    assert!(rules.contains("自测"), "{rules}");
}

#[test]
fn a_question_without_an_answer_is_reported_at_its_line() {
    let found = errors("说明。\n\n1. 支部委员会多久开一次会？\n   - [ ] 每周\n   - [ ] 每月\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (8, 1), "{found:?}");
    assert!(found[0].2.contains("no answer"), "{found:?}");
}

#[test]
fn an_answer_naming_no_option_is_reported_at_the_answer() {
    let found = errors("1. 谁主持？\n   - A. 书记\n   - B. 委员\n\n   答案：D\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (10, 4), "{found:?}");
    assert!(found[0].2.contains("answer D names no option"), "{found:?}");
}

#[test]
fn two_same_options_are_reported_at_the_second() {
    let found = errors("1. 多久？\n   - [x] 每月\n   - [ ] 每月\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (8, 4), "{found:?}");
    assert!(
        found[0].2.contains("option B is the same as option A"),
        "{found:?}"
    );
}

#[test]
fn a_cited_article_that_does_not_exist_is_reported_at_the_link() {
    let found =
        errors("1. 多久？\n   - [x] 每月\n   - [ ] 每周\n\n   解析：见 [[示例规定#第九条]]。\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (10, 9), "{found:?}");
    assert!(found[0].2.contains("第九条"), "{found:?}");
}

#[test]
fn every_bad_question_is_reported_in_one_build() {
    let found =
        errors("1. 甲？\n   - [ ] 一\n   - [ ] 二\n2. 乙{{}}。\n3. 丙？\n\n   答案：也许\n");
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [6, 9, 12], "{found:?}");
}

#[test]
fn errors_read_in_chinese_for_chinese_users() {
    let site = quiz_site("1. 谁主持？\n   - A. 书记\n   - B. 委员\n\n   答案：D\n");
    let out = crate::site_test::zhiku()
        .current_dir(&site.root)
        .env("ZHIKU_LANG", "zh")
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/quiz.md:10:4") && stderr.contains("答案 D 不是任何一个选项"),
        "{stderr}"
    );
}

#[test]
fn a_quiz_block_works_in_an_ordinary_page() {
    let site = SiteTest::minimal().file(
        "content/case.md",
        "---\ntitle: 案例\nkind: case\n---\n\n正文。\n\n> [!测验] 读后自测\n>\n> 1. 应当怎样？\n>    - [x] 单独记录\n>    - [ ] 合并记录\n",
    );
    site.build().unwrap();
    let html = site.read("public/case/index.html");
    assert!(
        html.contains("<div class=\"quiz\" data-quiz=\"0\">"),
        "{html}"
    );
    assert!(html.contains("assets/quiz.js"), "{html}");
    assert!(!html.contains("[!测验]"), "{html}");
}

#[test]
fn zhiku_new_quiz_starts_a_quiz_that_builds() {
    let site = SiteTest::minimal();
    let out = site.run(&["new", "quiz", "tests/sanhui"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let source = site.read("content/tests/sanhui.md");
    assert!(source.contains("kind: quiz"), "{source}");
    assert!(source.contains("{{季度}}"), "{source}");
    site.build().unwrap();
    let html = site.read("public/tests/sanhui/index.html");
    assert_eq!(html.matches("class=\"quiz-q\"").count(), 4, "{html}");
}

#[test]
fn a_quiz_block_in_a_sections_introduction_is_answerable_and_quotes() {
    let site = SiteTest::minimal()
        .file("content/rules.md", REGULATION)
        .file(
            "content/study/_index.md",
            "---\ntitle: 学习\n---\n\n本栏目学完后自测。\n\n> [!测验]\n>\n> 1. 支委会多久开一次？\n>    - [x] 每月\n>    - [ ] 每年\n>\n>    解析：见 [[示例规定#第五条]]。\n",
        )
        .file("content/study/a.md", "---\ntitle: 甲\n---\n\n正文。\n");
    site.build().unwrap();
    let html = site.read("public/study/index.html");
    assert!(html.contains("data-quiz-key=\"zhiku:"), "{html}");
    assert!(html.contains("assets/quiz.js"), "{html}");
    assert!(html.contains("assets/quiz.css"), "{html}");
    assert!(
        html.contains("<blockquote class=\"quiz-cite\"><p>支部委员会每月召开一次会议。</p>"),
        "{html}"
    );
}
