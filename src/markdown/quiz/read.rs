//! Reading a quiz's Markdown: what makes a block a quiz, an item a
//! question, a line an answer; option letters, 对/错, 多选; the text
//! pieces a blank is cut from.

use comrak::nodes::{AstNode, ListType, NodeValue};

use super::BLANK_INPUT;

/// The markers that open a quiz block: `> [!测验]`.
pub(super) const BLOCK_MARKERS: &[&str] = &["[!测验]", "[!測驗]", "[!QUIZ]", "[!quiz]", "[!Quiz]"];

/// What marks an answer line and an explanation.
pub(super) const ANSWER_PREFIXES: &[&str] =
    &["答案：", "答案:", "【答案】", "正确答案：", "正確答案："];
pub(super) const EXPLAIN_PREFIXES: &[&str] = &["解析：", "解析:", "【解析】"];

/// Pairs of options (or answer words) that make a true-or-false question:
/// (true, false).
pub(super) const JUDGE_WORDS: &[(&str, &str)] = &[
    ("对", "错"),
    ("對", "錯"),
    ("正确", "错误"),
    ("正確", "錯誤"),
    ("√", "×"),
    ("✓", "✗"),
    ("✔", "✘"),
    ("是", "否"),
];

/// One question as read from its list item, before it is written.
pub(super) struct Parsed<'a> {
    pub(super) stem: Option<&'a AstNode<'a>>,
    pub(super) options: Option<&'a AstNode<'a>>,
    pub(super) answer: Option<&'a AstNode<'a>>,
    pub(super) explain: Option<&'a AstNode<'a>>,
}

/// A block quote whose first line is `[!测验]`.
pub(super) fn is_quiz_block<'a>(node: &'a AstNode<'a>) -> bool {
    if !matches!(node.data().value, NodeValue::BlockQuote) {
        return false;
    }
    let Some(first) = node
        .first_child()
        .filter(|p| matches!(p.data().value, NodeValue::Paragraph))
    else {
        return false;
    };
    let text = first.collect_text();
    BLOCK_MARKERS
        .iter()
        .any(|m| text.trim_start().starts_with(m))
}

/// Takes the `[!测验]` marker (and the line break after it) off the start
/// of a block's first paragraph.
pub(super) fn strip_marker<'a>(paragraph: &'a AstNode<'a>) {
    let Some(first) = paragraph.first_child() else {
        return;
    };
    let mut data = first.data_mut();
    if let NodeValue::Text(t) = &mut data.value {
        let trimmed = t.trim_start();
        if let Some(m) = BLOCK_MARKERS.iter().find(|m| trimmed.starts_with(*m)) {
            let rest = trimmed[m.len()..].trim_start().to_string();
            *t = rest.into();
        }
    }
    let empty = matches!(&data.value, NodeValue::Text(t) if t.is_empty());
    drop(data);
    if empty {
        first.detach();
        if let Some(br) = paragraph
            .first_child()
            .filter(|n| matches!(n.data().value, NodeValue::SoftBreak | NodeValue::LineBreak))
        {
            br.detach();
        }
    }
}

/// The numbered lists between `open` and `close` (siblings), each with
/// the text of the last heading before it.
pub(super) fn heading_before_each_list<'a>(
    open: &'a AstNode<'a>,
    close: &'a AstNode<'a>,
) -> Vec<(&'a AstNode<'a>, Option<String>)> {
    let mut lists = Vec::new();
    let mut heading = None;
    let mut next = open.next_sibling();
    while let Some(node) = next {
        if std::ptr::eq(node, close) {
            break;
        }
        next = node.next_sibling();
        match &node.data().value {
            NodeValue::Heading(_) => heading = Some(node.collect_text()),
            NodeValue::List(l) if l.list_type == ListType::Ordered => {
                lists.push((node, heading.clone()));
            }
            _ => {}
        }
    }
    lists
}

/// An item's parts, if it is a question: its first paragraph (the
/// question), a bullet list (options), an answer line, an explanation.
pub(super) fn parse_item<'a>(item: &'a AstNode<'a>) -> Option<Parsed<'a>> {
    let mut parsed = Parsed {
        stem: None,
        options: None,
        answer: None,
        explain: None,
    };
    for (i, child) in item.children().enumerate() {
        if parsed.explain.is_some() {
            break;
        }
        match &child.data().value {
            NodeValue::Paragraph if i == 0 => parsed.stem = Some(child),
            NodeValue::Paragraph => {
                let text = child.collect_text();
                let text = text.trim_start();
                if parsed.answer.is_none() && ANSWER_PREFIXES.iter().any(|p| text.starts_with(p)) {
                    parsed.answer = Some(child);
                } else if EXPLAIN_PREFIXES.iter().any(|p| text.starts_with(p)) {
                    parsed.explain = Some(child);
                }
            }
            NodeValue::List(l) if l.list_type == ListType::Bullet && parsed.options.is_none() => {
                parsed.options = Some(child);
            }
            _ => {}
        }
    }
    let blanks = parsed.stem.is_some_and(|s| s.collect_text().contains("{{"));
    let tasks = parsed.options.is_some_and(|o| {
        o.children()
            .any(|i| matches!(i.data().value, NodeValue::TaskItem(_)))
    });
    // Plain bullets are options only with an answer line: else they are a
    // list in an ordinary item.
    if !(tasks || blanks || parsed.answer.is_some()) {
        return None;
    }
    if !tasks && parsed.answer.is_none() {
        parsed.options = None;
    }
    Some(parsed)
}

/// An answer line's answer: what follows 答案：.
pub(super) fn answer_text<'a>(node: &'a AstNode<'a>) -> String {
    let text = collapse(&node.collect_text());
    ANSWER_PREFIXES
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(&text)
        .trim()
        .trim_end_matches(['。', '.'])
        .to_string()
}

/// 对 → true, 错 → false.
pub(super) fn judge_word(text: &str) -> Option<bool> {
    JUDGE_WORDS.iter().find_map(|(yes, no)| {
        if text == *yes {
            Some(true)
        } else if text == *no {
            Some(false)
        } else {
            None
        }
    })
}

pub(super) fn judge_pair(a: &str, b: &str) -> bool {
    JUDGE_WORDS.iter().any(|(yes, no)| a == *yes && b == *no)
}

/// 多选 in the question (（多选）) or its heading (多项选择题).
pub(super) fn says_multiple(text: &str) -> bool {
    ["多选", "多選", "多项选择", "多項選擇", "不定项", "不定項"]
        .iter()
        .any(|w| text.contains(w))
}

/// A, B, C … for option number `n`.
pub(super) fn letter(n: usize) -> char {
    char::from(b'A' + (n.min(25)) as u8)
}

/// Ａ → A.
pub(super) fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// The length in bytes of a leading `A.`, `A、`, `A．`, `(A)` or `（A）`
/// naming option `n`, with the space after it.
pub(super) fn letter_prefix(text: &str, n: usize) -> usize {
    let want = letter(n);
    let is_want = |c: char| fold_width(c).to_ascii_uppercase() == want;
    let chars: Vec<(usize, char)> = text.char_indices().take(3).collect();
    let end = match chars.as_slice() {
        [(_, '(' | '（'), (_, c), (i, close @ (')' | '）')), ..] if is_want(*c) => {
            i + close.len_utf8()
        }
        [(_, c), (i, mark @ ('.' | '、' | '．' | ')' | '）')), ..] if is_want(*c) => {
            i + mark.len_utf8()
        }
        _ => return 0,
    };
    let spaces: usize = text[end..]
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(char::len_utf8)
        .sum();
    end + spaces
}

pub(super) fn strip_letter(text: &str, n: usize) -> &str {
    &text[letter_prefix(text, n)..]
}

/// Takes a leading option letter off an option's first text node.
pub(super) fn strip_letter_node<'a>(paragraph: &'a AstNode<'a>, n: usize) {
    let Some(first) = paragraph.first_child() else {
        return;
    };
    let mut data = first.data_mut();
    if let NodeValue::Text(t) = &mut data.value {
        let cut = letter_prefix(t, n);
        if cut > 0 {
            *t = t[cut..].to_string().into();
        }
    }
}

/// Joins neighbouring text nodes, which comrak may leave split (at `{`,
/// say), so that a blank is one piece of text.
pub(super) fn merge_texts<'a>(node: &'a AstNode<'a>) {
    let children: Vec<_> = node.children().collect();
    let mut last: Option<&'a AstNode<'a>> = None;
    for child in children {
        let text = match &child.data().value {
            NodeValue::Text(t) => Some(t.to_string()),
            _ => None,
        };
        match (text, last) {
            (Some(t), Some(prev)) => {
                if let NodeValue::Text(p) = &mut prev.data_mut().value {
                    let joined = format!("{p}{t}");
                    *p = joined.into();
                }
                child.detach();
            }
            (Some(_), None) => last = Some(child),
            (None, _) => {
                merge_texts(child);
                last = None;
            }
        }
    }
}

/// A question's text as a member reads it, blanks shown as ＿＿.
pub(super) fn stem_plain<'a>(stem: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for node in stem.descendants() {
        match &node.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::Raw(r) if r == BLANK_INPUT || r.contains("quiz-blank") => {
                out.push_str("＿＿")
            }
            _ => {}
        }
    }
    out
}

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
