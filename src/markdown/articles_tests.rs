use super::*;
use crate::content::Kind;
use crate::markdown::{MarkdownOptions, render};

fn regulation(body: &str) -> crate::markdown::Rendered {
    render(
        body,
        0,
        MarkdownOptions {
            allow_html: false,
            kind: Kind::Regulation,
        },
    )
}

fn ids(body: &str) -> Vec<String> {
    regulation(body)
        .articles
        .into_iter()
        .map(|a| a.id)
        .collect()
}

#[test]
fn recognises_tricky_numerals() {
    let body =
        "第一百零一条 甲\n\n第一千零七十九条 乙\n\n第二十条之一 丙\n\n第10条 丁\n\n第两百条 戊\n";
    assert_eq!(
        ids(body),
        [
            "第一百零一条",
            "第一千零七十九条",
            "第二十条之一",
            "第十条",
            "第二百条"
        ]
    );
}

#[test]
fn recognises_bold_and_plain_numbers() {
    assert_eq!(
        ids("**第一条** 甲\n\n第二条 乙\n\n**第三条**丙紧跟\n"),
        ["第一条", "第二条", "第三条"]
    );
}

#[test]
fn accepts_every_kind_of_space_after_the_number() {
    for sep in [" ", "\u{3000}", "\u{a0}", "\u{2002}", "\u{2003}", "\t"] {
        let body = format!("第五条{sep}内容。\n");
        assert_eq!(ids(&body), ["第五条"], "separator {:?}", sep);
    }
    // Nothing after the number at all: the article is only its number.
    assert_eq!(ids("第六条\n"), ["第六条"]);
}

#[test]
fn recognises_traditional_and_full_width_numbers() {
    assert_eq!(
        ids("第十條　內容\n\n第１２条 内容\n"),
        ["第十条", "第十二条"]
    );
}

#[test]
fn ignores_mentions_that_are_not_articles() {
    let body = "依照本规则第十条的规定办理。\n\n第十条规定的事项，另行通知。\n\n> 第三条 引用块里的不是条文\n\n- 第四条 列表里的也不是\n";
    assert!(ids(body).is_empty(), "{:?}", ids(body));
}

#[test]
fn an_article_runs_until_the_next_article_or_heading() {
    let r = regulation(
        "## 第一章 总则\n\n**第一条** 甲。\n\n（一）项一；\n\n（二）项二。\n\n**第二条** 乙。\n\n## 第二章 附则\n\n说明文字。\n",
    );
    let html = &r.html;
    let first = html.find("id=\"第一条\"").unwrap();
    let second = html.find("id=\"第二条\"").unwrap();
    let item = html.find("（二）项二").unwrap();
    assert!(first < item && item < second, "{html}");
    // The second article closes before the next chapter heading.
    let close = html[second..].find("</div>").unwrap() + second;
    let chapter = html.find("<h2 id=\"第二章-附则\"").unwrap();
    assert!(close < chapter, "{html}");
    assert_eq!(r.articles[0].chapter, Some(0));
    assert!(
        r.articles[0].text.contains("项二"),
        "{}",
        r.articles[0].text
    );
    assert!(
        html.contains("<a class=\"article-link\" href=\"#第一条\""),
        "{html}"
    );
}

#[test]
fn division_headings_are_recognised_with_any_spacing() {
    for h in [
        "第一章 总则",
        "第一章　总 则",
        "第二编",
        "第三节 会议",
        "第十二章\u{a0}附则",
    ] {
        assert!(is_division_heading(h), "{h}");
    }
    for h in ["总则", "第一条", "第几章"] {
        assert!(!is_division_heading(h), "{h}");
    }
}

#[test]
fn warns_about_gaps_and_duplicates_with_lines() {
    let r = regulation(
        "第一条 甲\n\n第二条 乙\n\n第二条之一 插入\n\n第三条 丙\n\n第五条 戊\n\n第五条 重复\n",
    );
    let notes: Vec<(usize, &str)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.message.as_str()))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, 9);
    assert!(
        notes[0].1.contains("gap") && notes[0].1.contains("第四条"),
        "{notes:?}"
    );
    assert_eq!(notes[1].0, 11);
    assert!(notes[1].1.contains("twice"), "{notes:?}");
    // The duplicate keeps a distinct id.
    assert_eq!(r.articles.last().unwrap().id, "第五条-2");
}

#[test]
fn recognition_is_linear_on_a_large_text() {
    let body: String = (1..=3000)
        .map(|n| {
            format!(
                "**第{}条** 内容。\n\n",
                crate::markdown::numerals::to_chinese(n)
            )
        })
        .collect();
    let start = std::time::Instant::now();
    let r = regulation(&body);
    assert_eq!(r.articles.len(), 3000);
    assert!(r.notes.is_empty());
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn only_regulations_get_articles() {
    let r = render("第一条 甲\n", 0, MarkdownOptions::default());
    assert!(r.articles.is_empty());
    assert!(!r.html.contains("class=\"article\""));
}

#[test]
fn parses_article_references() {
    assert_eq!(
        ArticleRef::parse("第十条").map(ArticleRef::id).as_deref(),
        Some("第十条")
    );
    assert_eq!(
        ArticleRef::parse("第10條").map(ArticleRef::id).as_deref(),
        Some("第十条")
    );
    assert_eq!(
        ArticleRef::parse("第二十条之一")
            .map(ArticleRef::id)
            .as_deref(),
        Some("第二十条之一")
    );
    assert_eq!(ArticleRef::parse("第十条规定"), None);
    assert_eq!(ArticleRef::parse("第一章"), None);
}
