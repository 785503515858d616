use super::*;

/// Slots filled with recognisable values.
struct Fill<'a>(&'a dyn Fn(usize) -> String);

impl Slots for Fill<'_> {
    fn link(&self, n: usize) -> Cow<'_, str> {
        Cow::Owned((self.0)(n))
    }
    fn text(&self, n: usize) -> Cow<'_, str> {
        Cow::Owned(format!("TEXT{n}"))
    }
    fn cited(&self, id: &str) -> Cow<'_, str> {
        Cow::Owned(format!("CITED[{id}]"))
    }
}

fn md(body: &str) -> Rendered {
    render(body, 0, MarkdownOptions::default())
}

#[test]
fn can_render_gfm() {
    let r = md(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] 待办\n- [x] 已办\n\n~~删除~~ https://example.org\n\n脚注[^1]\n\n[^1]: 注释\n",
    );
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<del>删除</del>"));
    assert!(r.html.contains("href=\"https://example.org\""));
    assert!(r.html.contains("footnote"));
}

#[test]
fn gives_headings_readable_unique_ids() {
    let r = md("# 第一章 总则\n\n## 概述\n\n## 概述\n\n### **会前**准备\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["第一章-总则", "概述", "概述-1", "会前准备"]);
    assert!(
        r.html.contains("<h1 id=\"第一章-总则\">第一章 总则</h1>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<h3 id=\"会前准备\"><strong>会前</strong>准备</h3>"),
        "{}",
        r.html
    );
}

#[test]
fn collects_internal_links_with_file_positions() {
    let r = render(
        "前言\n\n见[条例](../regulations/a.md#第十条)和[外部](https://x.org)。\n\n![图](pic.png)\n",
        5,
        MarkdownOptions::default(),
    );
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[0].url, "../regulations/a.md#第十条");
    assert_eq!((r.links[0].line, r.links[0].column), (8, 2));
    assert_eq!(r.links[1].kind, LinkKind::Image);
    assert!(r.html.contains("href=\"zklink:0\""), "{}", r.html);
    assert!(r.html.contains("src=\"zklink:1\""), "{}", r.html);
    let filled = fill_slots(&r.html, &Fill(&|n| format!("target{n}.html")));
    assert!(filled.contains("href=\"target0.html\""));
    assert!(filled.contains("src=\"target1.html\""));
    assert!(filled.contains("href=\"https://x.org\""));
}

#[test]
fn slot_text_in_prose_is_not_replaced() {
    let r = md("写 zklink:0 和 \"zklink:1\" 不是链接\n");
    assert!(r.links.is_empty());
    let filled = fill_slots(&r.html, &Fill(&|_| "X".to_string()));
    assert_eq!(filled, *r.html);
}

#[test]
fn omits_raw_html_unless_allowed() {
    let r = md("<script>alert(1)</script>\n\n<b>粗</b>\n");
    assert!(!r.html.contains("<script>"));
    assert!(!r.html.contains("<b>"));
    let r = render(
        "<b>粗</b>\n",
        0,
        MarkdownOptions {
            allow_html: true,
            kind: Kind::Page,
        },
    );
    assert!(r.html.contains("<b>粗</b>"));
}

#[test]
fn neutralises_script_urls() {
    let r = md("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](&#x6a;avascript:alert(1))\n");
    assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
}

#[test]
fn classifies_internal_urls() {
    for url in [
        "a.md",
        "../b/c.md#x",
        "#第十条",
        "/cases/a.md",
        "pic.png",
        "第十条.md",
        "a b.md",
    ] {
        assert!(is_internal(url), "{url}");
    }
    for url in [
        "https://a.org",
        "mailto:a@b.c",
        "//cdn.example/x.js",
        "",
        "tel:123",
        "a:b/c.md",
    ] {
        assert!(!is_internal(url), "{url}");
    }
}

#[test]
fn alerts_get_chinese_titles() {
    let r = md("> [!NOTE]\n> 示例\n");
    assert!(r.html.contains("说明"), "{}", r.html);
}

#[test]
fn summary_is_the_first_paragraph() {
    let r = md("# 标题\n\n第一段\n内容。\n\n第二段。\n");
    assert_eq!(r.summary, "第一段 内容。");
}

#[test]
fn summary_shows_wikilink_labels_and_marks_default_texts() {
    let r = md("依据[[规定#第五条]]，另见[[规定#第六条|第六条]]。\n");
    assert!(!r.summary.contains("#第五条"), "{:?}", r.summary);
    let texts = ["《规定》第五条".to_string(), String::new()];
    assert_eq!(
        summary_text(&r.summary, &texts),
        "依据《规定》第五条，另见第六条。"
    );
}

#[test]
fn summary_is_cut_after_its_link_texts_are_known() {
    let r = md(&format!("[[甲]]{}\n", "字".repeat(170)));
    // The marker does not count: 160 characters of text, then the cut.
    assert_eq!(r.summary.matches('字').count(), 160);
    let texts = ["《很长的标题》".to_string()];
    let shown = summary_text(&r.summary, &texts);
    assert!(shown.starts_with("《很长的标题》字"), "{shown}");
    assert_eq!(shown.chars().count(), 161, "{shown}");
    assert!(shown.ends_with("字…"), "{shown}");
    // Short enough after filling: shown whole.
    let r = md("见[[甲]]。\n");
    assert_eq!(summary_text(&r.summary, &texts), "见《很长的标题》。");
}

#[test]
fn renders_definition_lists_with_term_anchors() {
    let r = md(
        "术语\n\n三会一课\n: 支部党员大会、支部委员会会议、党小组会和党课。\n\n党课\n: 面向党员的专题授课。\n",
    );
    assert!(r.html.contains("<dl>"), "{}", r.html);
    assert!(
        r.html
            .contains("<dt><dfn id=\"三会一课\">三会一课</dfn></dt>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<dd>面向党员的专题授课。</dd>"),
        "{}",
        r.html
    );
    let terms: Vec<_> = r
        .terms
        .iter()
        .map(|t| (t.id.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(terms, [("三会一课", "三会一课"), ("党课", "党课")]);
    // Each term is a search unit holding its definition, apart from the
    // opening and from the other terms.
    let units: Vec<_> = r
        .units
        .iter()
        .map(|u| (u.anchor.as_str(), u.label.as_str(), u.text.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            ("", "", "术语"),
            (
                "三会一课",
                "三会一课",
                "支部党员大会、支部委员会会议、党小组会和党课。"
            ),
            ("党课", "党课", "面向党员的专题授课。"),
        ]
    );
}

#[test]
fn terms_of_nested_definition_lists_keep_their_anchors_in_step() {
    let r = md("- 项\n\n  甲\n  : 一\n\n乙\n: 二\n");
    let ids: Vec<_> = r.terms.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["甲", "乙"]);
    let last = r.units.last().unwrap();
    assert_eq!((last.anchor.as_str(), last.text.as_str()), ("乙", "二"));
}

#[test]
fn highlights_code_with_classes() {
    let r = md("```rust\nfn main() {}\n```\n");
    assert!(r.html.contains("<pre class=\"highlight\""), "{}", r.html);
    assert!(r.html.contains("hl-"), "{}", r.html);
}

#[test]
fn task_items_are_labelled_checkboxes() {
    let r = md("- [ ] 通知党员\n- [x] 确定议题\n- [ ]\n");
    assert!(
        r.html.contains("<ul class=\"contains-task-list\">"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<li><label class=\"task-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled> 通知党员</label></li>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("checked disabled> 确定议题</label>"),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches("<label").count(), 3, "{}", r.html);
}

#[test]
fn wikilinks_become_slots_with_default_text_slots() {
    let r = md("见[[示例规定#第十条]]和[[示例规定#第十条|本条]]。\n");
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[0].url, "示例规定#第十条");
    assert_eq!(r.links[0].kind, LinkKind::Wiki { default_text: true });
    assert_eq!(
        r.links[1].kind,
        LinkKind::Wiki {
            default_text: false
        }
    );
    let filled = fill_slots(&r.html, &Fill(&|n| format!("u{n}")));
    assert!(filled.contains("<a href=\"u0\">TEXT0</a>"), "{filled}");
    assert!(filled.contains("<a href=\"u1\">本条</a>"), "{filled}");
}

#[test]
fn cited_slots_are_filled_per_article() {
    let r = render(
        "**第一条** 甲\n\n**第二条** 乙\n",
        0,
        MarkdownOptions {
            allow_html: false,
            kind: Kind::Regulation,
        },
    );
    let filled = fill_slots(&r.html, &Fill(&|_| String::new()));
    assert!(filled.contains("CITED[第一条]</div>"), "{filled}");
    assert!(filled.contains("CITED[第二条]</div>"), "{filled}");
    assert!(!filled.contains("<!--zk:"), "{filled}");
}

#[test]
fn checklist_items_get_stable_ids() {
    let opts = MarkdownOptions {
        allow_html: false,
        kind: Kind::Checklist,
    };
    let before = render(
        "## 会前\n\n- [ ] 确定议题\n- [x] 通知党员\n\n## 会后\n\n- [ ] 整理记录\n",
        0,
        opts,
    );
    let after = render(
        "## 会前\n\n- [ ] 新增的第一项\n- [x] 通知党员\n- [ ] 确定议题\n\n## 会后\n\n- [ ] 整理记录\n- [ ] 又一项\n",
        0,
        opts,
    );
    let id_of = |r: &Rendered, text: &str| {
        r.items
            .iter()
            .find(|i| i.text == text)
            .map(|i| i.id.clone())
            .unwrap()
    };
    for text in ["确定议题", "通知党员", "整理记录"] {
        assert_eq!(id_of(&before, text), id_of(&after, text), "{text}");
    }
    assert!(before.items[1].checked && !before.items[0].checked);
    assert!(
        before.html.contains(&format!(
            "data-item=\"{}\" checked>",
            id_of(&before, "通知党员")
        )),
        "{}",
        before.html
    );
    assert!(!before.html.contains("disabled"));
    // The same text under another heading is another item.
    let other = render("## 会中\n\n- [ ] 确定议题\n", 0, opts);
    assert_ne!(other.items[0].id, id_of(&before, "确定议题"));
}

#[test]
fn repeated_checklist_items_are_told_apart_and_warned_about() {
    let opts = MarkdownOptions {
        allow_html: false,
        kind: Kind::Checklist,
    };
    let r = render("## 会前\n\n- [ ] 签到\n- [ ] 签到\n", 4, opts);
    assert_eq!(r.items.len(), 2);
    assert_eq!(r.items[1].id, format!("{}-2", r.items[0].id));
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes[0].line, 8);
}

#[test]
fn notes_whether_a_page_has_code() {
    assert!(md("```rust\nfn main() {}\n```\n").has_code);
    assert!(md("    indented code\n").has_code);
    assert!(!md("正文，`行内代码` 不算。\n").has_code);
}

/// Arbitrary bytes, weighted towards what Markdown and YAML treat specially.
fn arbitrary_text(seed: &mut u64, len: usize) -> Vec<u8> {
    const PIECES: &[&str] = &[
        ">",
        "*",
        "_",
        "-",
        "+",
        "#",
        "[",
        "]",
        "(",
        ")",
        "!",
        "`",
        "```",
        "|",
        "\\",
        "<",
        "&",
        "\n",
        "\n\n",
        " ",
        "    ",
        "\t",
        "1. ",
        "- [ ] ",
        "[[",
        "]]",
        "#第十条",
        "第十条",
        "**第1条**",
        "[^1]",
        "[^1]: ",
        "> [!NOTE]",
        "---\n",
        ":",
        "{",
        "}",
        "'",
        "\"",
        "*&a",
        "&a ",
        "党员",
        "黨員",
        "\u{0}",
        "\u{feff}",
        "\u{e000}7\u{e001}",
        "<!--zk:text:3-->",
        "\r",
        // Quizzes.
        "- [x] ",
        "\n   - A. ",
        "{{",
        "}}",
        "{{季度|",
        "答案：",
        "答案：B",
        "答案：对",
        "解析：",
        "> [!测验]",
        "\n   ",
        "A、",
        "（A）",
    ];
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        if (*seed).is_multiple_of(5) {
            out.push((*seed >> 8) as u8);
        } else {
            out.extend_from_slice(PIECES[(*seed >> 8) as usize % PIECES.len()].as_bytes());
        }
    }
    out
}

/// Whatever a content file holds, reading it gives a page or an error:
/// never a panic (which would end a build, or the dev server).
#[test]
fn arbitrary_bytes_give_a_page_or_an_error() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    // The quiz pass must be reached, not only survived.
    let (mut questions, mut problems) = (0, 0);
    for round in 0..400 {
        let bytes = arbitrary_text(&mut seed, 40 + round * 7);
        // As a page body, of every kind.
        let body = String::from_utf8_lossy(&bytes);
        for kind in Kind::ALL {
            let r = render(
                &body,
                4,
                MarkdownOptions {
                    kind,
                    allow_html: round % 2 == 0,
                },
            );
            assert!(r.error.is_none() || r.html.is_empty(), "round {round}");
            questions += r.questions.len();
            problems += r.problems.len();
        }
        // As a whole file: front matter, then body.
        let mut file = b"---\ntitle: x\n".to_vec();
        file.extend_from_slice(&bytes);
        let parsed = crate::content::page::decode("a.md", file).and_then(|text| {
            crate::content::page::parse::<crate::content::page::PageMeta>("a.md", &text)
        });
        if let Err(d) = parsed {
            assert!(!d.message.is_empty(), "round {round}");
        }
    }
    assert!(
        questions > 0 && problems > 0,
        "{questions} questions, {problems} problems"
    );
}
