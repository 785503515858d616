use crate::content::Kind;
use crate::markdown::{MarkdownOptions, Rendered, render};

use super::QuestionKind;

fn quiz(body: &str) -> Rendered {
    render(
        body,
        0,
        MarkdownOptions {
            kind: Kind::Quiz,
            ..MarkdownOptions::default()
        },
    )
}

/// The decoded `data-key` of each question, in order.
fn keys(r: &Rendered) -> Vec<String> {
    r.html
        .split("data-key=\"")
        .skip(1)
        .map(|rest| {
            let b64 = &rest[..rest.find('"').unwrap()];
            String::from_utf8(crate::base64::decode(b64).unwrap()).unwrap()
        })
        .collect()
}

/// Every unit's text, as the search index gets it.
fn searchable(r: &Rendered) -> String {
    r.units
        .iter()
        .map(|u| format!("{} {}", u.label, u.text))
        .collect::<Vec<_>>()
        .join("\n")
}

const FOUR_KINDS: &str = "\
## 单项选择题

1. 支部委员会会议一般多久召开一次？
   - [ ] 每周一次
   - [x] 每月一次
   - [ ] 每季度一次

   解析：支委会议每月召开，这是基本要求。

## 多项选择题

2. 下列哪些属于“三会”？
   - [x] 支部党员大会
   - [x] 支部委员会会议
   - [ ] 民主生活会

## 判断题

3. 组织生活会可以不开展批评和自我批评。

   答案：错

## 填空题

4. 党课一般每{{季度|三个月}}至少讲一次，由{{书记}}带头讲。
";

#[test]
fn reads_the_four_kinds_of_question() {
    let r = quiz(FOUR_KINDS);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    let kinds: Vec<_> = r.questions.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::Judge,
            QuestionKind::Blank
        ]
    );
    assert_eq!(
        keys(&r),
        ["[1]", "[0,1]", "[1]", r#"[["季度","三个月"],["书记"]]"#]
    );
    let lines: Vec<_> = r.questions.iter().map(|q| q.line).collect();
    assert_eq!(lines, [3, 12, 19, 25]);
    assert_eq!(
        r.questions[3].text,
        "党课一般每＿＿至少讲一次，由＿＿带头讲。"
    );
    let html = r.html.as_str();
    assert!(
        html.starts_with("<div class=\"quiz\" data-quiz=\"0\">"),
        "{html}"
    );
    assert_eq!(html.matches("type=\"radio\"").count(), 3 + 2, "{html}");
    assert_eq!(html.matches("type=\"checkbox\"").count(), 3, "{html}");
    assert_eq!(html.matches("class=\"quiz-blank\"").count(), 2, "{html}");
    // One radio group per question.
    let id = &r.questions[0].id;
    assert_eq!(html.matches(&format!("name=\"q-{id}\"")).count(), 3);
    // The true-or-false question without options gets 对 and 错.
    assert!(
        html.contains("<span class=\"quiz-option-text\">对</span>"),
        "{html}"
    );
}

#[test]
fn answers_stay_out_of_the_page_text_and_the_search() {
    let r = quiz(FOUR_KINDS);
    let html = r.html.as_str();
    // Explanations are hidden until the member submits.
    assert!(
        html.contains("<div class=\"quiz-explain\" hidden><p>解析："),
        "{html}"
    );
    assert!(!html.contains("答案：错"), "{html}");
    assert!(!html.contains("{{"), "{html}");
    assert!(!html.contains("三个月"), "{html}");
    let text = searchable(&r);
    assert!(text.contains("支部委员会会议一般多久召开一次"), "{text}");
    assert!(text.contains("至少讲一次"), "{text}");
    for answer in ["三个月", "书记", "答案", "解析", "基本要求"] {
        assert!(!text.contains(answer), "{answer} is searchable: {text}");
    }
}

#[test]
fn plain_options_take_an_answer_line() {
    let r = quiz(
        "1. 谁主持支部党员大会？\n   - A. 支部书记\n   - B、组织委员\n   - （C）宣传委员\n\n   答案：A\n\n2. 哪些要记录？（多选）\n   - A. 到会人数\n   - B. 议题\n\n   答案：Ａ、B\n",
    );
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(keys(&r), ["[0]", "[0,1]"]);
    assert_eq!(r.questions[1].kind, QuestionKind::Multiple);
    let html = r.html.as_str();
    // The letters are the page's to show, not the text's.
    assert!(
        html.contains("<span class=\"quiz-option-text\">组织委员</span>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"quiz-option-text\">宣传委员</span>"),
        "{html}"
    );
}

#[test]
fn a_heading_saying_multiple_makes_single_answers_multiple_choice() {
    let r = quiz("## 多项选择题\n\n1. 问题\n   - [x] 甲\n   - [ ] 乙\n");
    assert_eq!(r.questions[0].kind, QuestionKind::Multiple);
    assert!(r.html.contains("type=\"checkbox\""));
}

#[test]
fn ids_survive_edits_elsewhere_and_change_with_the_question() {
    let before = quiz(FOUR_KINDS);
    let edited = quiz(&FOUR_KINDS.replace("每周一次", "每两周一次").replace(
        "## 判断题",
        "## 判断题\n\n先读一遍题目。\n\n0. 新加的题\n   - [x] 是\n   - [ ] 否\n",
    ));
    let ids = |r: &Rendered| r.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    let (a, b) = (ids(&before), ids(&edited));
    assert_eq!(b.len(), 5);
    assert_ne!(a[0], b[0], "the changed question keeps its id");
    assert_eq!(a[1], b[1]);
    assert_eq!(a[2..], b[3..]);
    // An explanation can be reworded without losing the answers.
    let reworded = quiz(&FOUR_KINDS.replace("这是基本要求", "不得拖延"));
    assert_eq!(ids(&reworded), a);
}

#[test]
fn the_same_question_twice_gets_two_ids() {
    let r = quiz("1. 问题\n   - [x] 甲\n   - [ ] 乙\n2. 问题\n   - [x] 甲\n   - [ ] 乙\n");
    assert_eq!(r.questions.len(), 2);
    assert_eq!(format!("{}-2", r.questions[0].id), r.questions[1].id);
}

/// (line, column, message) of each problem.
fn problems(body: &str) -> Vec<(usize, usize, String)> {
    quiz(body)
        .problems
        .into_iter()
        .map(|p| (p.line, p.column, p.message))
        .collect()
}

#[test]
fn a_question_without_an_answer_is_an_error_at_it() {
    let found = problems("说明\n\n1. 问题\n   - [ ] 甲\n   - [ ] 乙\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (3, 1), "{found:?}");
    assert!(found[0].2.contains("no answer"), "{found:?}");
}

#[test]
fn an_answer_naming_no_option_is_an_error_at_its_line() {
    let found = problems("1. 问题\n   - A. 甲\n   - B. 乙\n\n   答案：E\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (5, 4), "{found:?}");
    assert!(found[0].2.contains("answer E names no option"), "{found:?}");
    assert!(found[0].2.contains("end at B"), "{found:?}");
    let found = problems("1. 问题\n   - A. 甲\n   - B. 乙\n\n   答案：每月\n");
    assert!(found[0].2.contains("is not an answer"), "{found:?}");
}

#[test]
fn two_same_options_are_an_error_at_the_second() {
    let found = problems("1. 问题\n   - [x] 每月一次\n   - [ ] 每季度一次\n   - [ ] 每月一次\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (4, 4), "{found:?}");
    assert!(
        found[0].2.contains("option C is the same as option A"),
        "{found:?}"
    );
}

#[test]
fn an_empty_blank_is_an_error_at_its_column() {
    let found = problems("1. 党课每{{ }}讲一次\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (1, 7), "{found:?}");
}

#[test]
fn other_slips_are_errors() {
    let cases = [
        ("1. 问题\n\n   答案：也许\n", "only be true or false"),
        ("1. 问题\n   - [x] 对\n   - [x] 错\n", "one answer"),
        ("1. 问题\n   - [x] 唯一\n", "at least two options"),
        (
            "1. 问题\n   - [x] 甲\n   - [ ] 乙\n\n   答案：B\n",
            "disagree",
        ),
        (
            "1. 党课每{{季度}}讲\n   - [x] 甲\n   - [ ] 乙\n",
            "already inside",
        ),
    ];
    for (body, want) in cases {
        let found = problems(body);
        assert!(
            found.iter().any(|(_, _, m)| m.contains(want)),
            "{body:?}: {found:?}"
        );
    }
}

#[test]
fn ordinary_numbered_lists_are_left_alone() {
    let r = quiz("1. 第一步\n2. 第二步\n   - 细节\n");
    assert!(r.questions.is_empty());
    assert!(r.problems.is_empty());
    assert!(r.html.contains("<li>第一步</li>"), "{}", r.html.as_str());
}

#[test]
fn a_quiz_block_works_in_any_page() {
    let r = render(
        "正文。\n\n> [!测验] 学完自测\n>\n> 1. 问题\n>    - [x] 甲\n>    - [ ] 乙\n\n> 普通引用\n",
        10,
        MarkdownOptions::default(),
    );
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(r.questions.len(), 1);
    assert_eq!(r.questions[0].line, 15);
    let html = r.html.as_str();
    assert!(
        html.contains(
            "<div class=\"quiz\" data-quiz=\"0\"><div class=\"quiz-title\">\n<p>学完自测</p>"
        ),
        "{html}"
    );
    assert!(!html.contains("[!测验]"), "{html}");
    assert!(html.contains("<blockquote>\n<p>普通引用</p>"), "{html}");
    // Outside a quiz, a numbered list with ticks is what it always was.
    let plain = render(
        "1. 问题\n   - [x] 甲\n   - [ ] 乙\n",
        0,
        MarkdownOptions::default(),
    );
    assert!(plain.questions.is_empty());
}

#[test]
fn an_explanation_quotes_the_articles_it_links_to() {
    let r = quiz("1. 问题\n   - [x] 甲\n   - [ ] 乙\n\n   解析：见 [[规定#第五条]]。\n");
    assert_eq!(r.quotes, [0]);
    assert!(
        r.html.contains("</p>\n<!--zk:quote:0--></div>"),
        "{}",
        r.html.as_str()
    );
}
