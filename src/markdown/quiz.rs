//! Self-test quizzes: questions written as Markdown lists, turned into
//! answerable questions on comrak's AST (never by scanning HTML).
//!
//! A quiz is a page of `kind: quiz` (its whole body) or a `> [!测验]`
//! block in any page. In it, each item of a numbered list is a question
//! when it has options, an answer line or a blank:
//!
//! ```text
//! 1. 支部委员会会议一般多久召开一次？
//!    - [ ] 每周一次
//!    - [x] 每月一次
//!
//!    解析：见 [[支部工作规定#第十条]]。
//!
//! 2. 支部党员大会一般每{{季度}}召开一次。
//!
//! 3. 组织生活会可以不开展批评和自我批评。
//!
//!    答案：错
//! ```
//!
//! Options are a bullet list: `[x]` marks the right ones, or plain items
//! (`- A. 每周一次`) with an `答案：B` line, as a paper test is written.
//! Two options 对/错 (or no options and `答案：对`) make a true-or-false
//! question; several right options, or 多选 in the question or its
//! heading, a multiple-choice one. `{{答案}}` is a blank (`{{季度|三个月}}`
//! accepts either). A paragraph starting 解析： and what follows it is the
//! explanation, shown once the member submits; the articles it cites get
//! their text quoted beside it (a slot the site graph fills).
//!
//! The answer travels in the page as base64 JSON (`data-key`), kept out of
//! the search index: answer lines are dropped, blanks become inputs, and
//! explanations become raw HTML, which the search units skip.

use comrak::nodes::{AstNode, NodeValue};
use comrak::options::{Plugins, RenderPlugins};
use comrak::{Arena, Options, format_html_with_plugins};

use super::{LineIndex, MarkdownOptions, Problem, Rendered, SLOT, escape_html, tasks};
use crate::content::Kind;
use crate::tr;

mod read;

use read::{
    JUDGE_WORDS, Parsed, answer_text, collapse, fold_width, heading_before_each_list,
    is_quiz_block, judge_pair, judge_word, letter, merge_texts, parse_item, says_multiple,
    stem_plain, strip_letter, strip_letter_node, strip_marker,
};

/// One question, for the build's checks and the site's counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    /// Stable id (8 characters of `a-z0-9`, `-2`… for repeats): a hash of
    /// the question, its options and its answer, so that it survives
    /// edits elsewhere in the file and a changed question starts fresh.
    pub id: String,
    /// What kind of question.
    pub kind: QuestionKind,
    /// The question's text, blanks shown as ＿＿.
    pub text: String,
    /// Which quiz of the page (0 for a quiz page, else the block's number).
    pub quiz: usize,
    /// 1-based line in the file.
    pub line: usize,
}

/// The four kinds of a 党章党规 knowledge test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    Judge,
    Blank,
}

impl QuestionKind {
    /// The name in `data-kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Judge => "judge",
            QuestionKind::Blank => "blank",
        }
    }
}

/// What the pass found: the questions, the problems (errors), and the
/// links whose target article is quoted (their numbers).
#[derive(Debug, Default)]
pub struct Marked {
    pub questions: Vec<Question>,
    pub problems: Vec<Problem>,
    pub quotes: Vec<usize>,
}

/// The quizzes: questions, their problems, the articles their explanations
/// quote (see the module's comment). Explanations are rendered on their own, as the
/// page is (without heading ids: an explanation has no place in the
/// outline).
pub(super) fn mark_page<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    body: &str,
    line_offset: usize,
    opts: MarkdownOptions,
    options: &Options<'_>,
    out: &mut Rendered,
) {
    let highlighter = super::highlight::Highlighter;
    let plugins = Plugins {
        render: RenderPlugins {
            codefence_syntax_highlighter: Some(&highlighter),
            ..RenderPlugins::default()
        },
    };
    let marked = mark(
        arena,
        root,
        body,
        opts.kind == Kind::Quiz,
        line_offset,
        &|node| {
            let mut html = String::new();
            // Writing into a String cannot fail.
            let _ = format_html_with_plugins(node, options, &mut html, &plugins);
            html
        },
    );
    out.questions = marked.questions;
    out.quotes = marked.quotes;
    out.problems = marked.problems;
}

/// Finds the page's quizzes (`whole_page` for a page of `kind: quiz`) and
/// turns their questions into answerable HTML. `render` renders a subtree
/// (an explanation) to HTML.
pub fn mark<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    body: &str,
    whole_page: bool,
    line_offset: usize,
    render: &dyn Fn(&'a AstNode<'a>) -> String,
) -> Marked {
    let mut pass = Pass {
        arena,
        lines: LineIndex::new(body),
        line_offset,
        render,
        out: Marked::default(),
        seen: std::collections::HashMap::new(),
    };
    let containers: Vec<&'a AstNode<'a>> = if whole_page {
        vec![root]
    } else if !body.contains("[!") {
        // No block marker anywhere: most pages; no walk of their tree.
        return pass.out;
    } else {
        root.descendants().filter(|n| is_quiz_block(n)).collect()
    };
    for (n, container) in containers.into_iter().enumerate() {
        pass.container(container, n, whole_page);
    }
    pass.out
}

struct Pass<'a, 'b, 'r> {
    arena: &'a Arena<'a>,
    lines: LineIndex<'b>,
    line_offset: usize,
    render: &'r dyn Fn(&'a AstNode<'a>) -> String,
    out: Marked,
    /// Question ids seen, with their count, for repeats.
    seen: std::collections::HashMap<String, usize>,
}

impl<'a> Pass<'a, '_, '_> {
    fn raw(&self, html: String) -> &'a AstNode<'a> {
        self.arena.alloc(AstNode::from(NodeValue::Raw(html)))
    }

    fn problem(&mut self, node: &'a AstNode<'a>, message: String, hint: Option<String>) {
        let pos = node.data().sourcepos;
        self.problem_at(pos.start.line, pos.start.column, message, hint);
    }

    fn problem_at(
        &mut self,
        line: usize,
        byte_column: usize,
        message: String,
        hint: Option<String>,
    ) {
        let column = self.lines.char_column(line, byte_column);
        self.out.problems.push(Problem {
            line: line + self.line_offset,
            column,
            message,
            hint,
        });
    }

    /// A quiz: a page's whole body, or a `> [!测验]` block made a `<div>`.
    fn container(&mut self, container: &'a AstNode<'a>, n: usize, whole_page: bool) {
        let open = self.raw(format!("<div class=\"quiz\" data-quiz=\"{n}\">"));
        let close = self.raw("</div>".into());
        if whole_page {
            container.prepend(open);
            container.append(close);
        } else {
            // The marker paragraph: what follows the marker is the quiz's
            // title.
            if let Some(first) = container.first_child() {
                strip_marker(first);
                if first.children().next().is_none() {
                    first.detach();
                } else {
                    first.insert_before(self.raw("<div class=\"quiz-title\">".into()));
                    first.insert_after(self.raw("</div>".into()));
                }
            }
            container.insert_before(open);
            let children: Vec<_> = container.children().collect();
            for child in children {
                container.insert_before(child);
            }
            container.insert_before(close);
            container.detach();
        }
        let headings = heading_before_each_list(open, close);
        for (list, heading) in headings {
            self.list(list, n, heading.as_deref());
        }
    }

    /// A numbered list in a quiz: each item that is a question becomes one.
    fn list(&mut self, list: &'a AstNode<'a>, quiz: usize, heading: Option<&str>) {
        let items: Vec<_> = list.children().collect();
        let parsed: Vec<Option<Parsed<'a>>> = items.iter().map(|i| parse_item(i)).collect();
        if parsed.iter().all(Option::is_none) {
            return;
        }
        let start = match &list.data().value {
            NodeValue::List(l) if l.start > 1 => format!(" start=\"{}\"", l.start),
            _ => String::new(),
        };
        list.insert_before(self.raw(format!("<ol class=\"quiz-list\"{start}>")));
        for (item, parsed) in items.into_iter().zip(parsed) {
            let open = match parsed {
                Some(p) => match self.question(item, p, quiz, heading) {
                    Some(open) => open,
                    None => "<li class=\"quiz-q\">".into(),
                },
                None => "<li>".into(),
            };
            list.insert_before(self.raw(open));
            let children: Vec<_> = item.children().collect();
            for child in children {
                list.insert_before(child);
            }
            list.insert_before(self.raw("</li>".into()));
        }
        list.insert_before(self.raw("</ol>".into()));
        list.detach();
    }

    /// Checks and writes one question; returns its opening `<li>`, or
    /// `None` when it has a problem (reported).
    fn question(
        &mut self,
        item: &'a AstNode<'a>,
        p: Parsed<'a>,
        quiz: usize,
        heading: Option<&str>,
    ) -> Option<String> {
        let line = item.data().sourcepos.start.line;
        let stem_text = p
            .stem
            .map(|s| collapse(&s.collect_text()))
            .unwrap_or_default();
        let blanks = p.stem.map(|s| self.blanks(s)).unwrap_or_default();
        let before = self.out.problems.len();
        let keyed = if !blanks.is_empty() {
            if let Some(node) = p.options.or(p.answer) {
                self.problem(node, tr!("site.quiz.blank_and_options"), None);
            }
            let key = serde_json::to_string(&blanks).unwrap_or_default();
            Some(Keyed {
                kind: QuestionKind::Blank,
                id_source: key.clone(),
                key,
            })
        } else if let Some(list) = p.options {
            let options = self.options(list);
            let multiple = says_multiple(&stem_text) || heading.is_some_and(says_multiple);
            self.choice(item, &options, p.answer, multiple)
        } else {
            self.judged_by_answer(item, p.answer)
        };
        let Keyed {
            kind,
            key,
            id_source,
        } = keyed.filter(|_| self.out.problems.len() == before)?;
        let base = tasks::item_id("", &format!("{stem_text}\u{1f}{id_source}"));
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        let id = if *count > 1 {
            format!("{base}-{count}")
        } else {
            base
        };
        // Options and blanks were written before the id was known.
        self.name_inputs(item, &id, kind);
        if let Some(stem) = p.stem {
            stem.insert_before(self.raw("<div class=\"quiz-stem\">".into()));
            stem.insert_after(self.raw("</div>".into()));
        }
        if let Some(a) = p.answer {
            a.detach();
        }
        if let Some(explain) = p.explain {
            self.explanation(item, explain);
        }
        let text = p.stem.map(|s| collapse(&stem_plain(s))).unwrap_or_default();
        self.out.questions.push(Question {
            id: id.clone(),
            kind,
            text,
            quiz,
            line: line + self.line_offset,
        });
        Some(format!(
            "<li class=\"quiz-q\" id=\"q-{id}\" data-q=\"{id}\" data-kind=\"{}\" data-key=\"{}\">",
            kind.as_str(),
            crate::base64::encode(key.as_bytes())
        ))
    }

    /// A choice question's kind and key, from its options (`[x]` or an
    /// answer line); its problems reported. `multiple`: the question or its
    /// heading says 多选.
    fn choice(
        &mut self,
        item: &'a AstNode<'a>,
        options: &[Choice<'a>],
        answer: Option<&'a AstNode<'a>>,
        multiple: bool,
    ) -> Option<Keyed> {
        let before = self.out.problems.len();
        let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
        for (i, o) in options.iter().enumerate() {
            if let Some(first) = texts[..i].iter().position(|t| *t == o.text) {
                self.problem(
                    o.node,
                    tr!(
                        "site.quiz.same_option",
                        option = letter(i),
                        first = letter(first),
                        text = o.text
                    ),
                    None,
                );
            }
        }
        if options.len() < 2 {
            self.problem(options.first()?.node, tr!("site.quiz.one_option"), None);
        }
        let ticked: Vec<usize> = (0..options.len()).filter(|&i| options[i].ticked).collect();
        let right = match answer {
            Some(node) => {
                let letters = self.answer_letters(node, &answer_text(node), options.len())?;
                if !ticked.is_empty() && ticked != letters {
                    self.problem(node, tr!("site.quiz.answer_disagrees"), None);
                }
                letters
            }
            None => ticked,
        };
        if right.is_empty() && self.out.problems.len() == before {
            self.problem(
                item,
                tr!("site.quiz.no_answer"),
                Some(tr!("site.quiz.no_answer_hint")),
            );
        }
        let judge = texts.len() == 2 && judge_pair(texts[0], texts[1]);
        if judge && right.len() > 1 {
            self.problem(item, tr!("site.quiz.judge_two"), None);
        }
        let kind = if judge {
            QuestionKind::Judge
        } else if multiple || right.len() > 1 {
            QuestionKind::Multiple
        } else {
            QuestionKind::Single
        };
        let key = serde_json::to_string(&right).unwrap_or_default();
        Some(Keyed {
            kind,
            id_source: format!("{}\u{1f}{key}", texts.join("\u{1f}")),
            key,
        })
    }

    /// A question with no options and no blank: an answer line of 对/错
    /// makes it true-or-false, with the two options written for it.
    fn judged_by_answer(
        &mut self,
        item: &'a AstNode<'a>,
        answer: Option<&'a AstNode<'a>>,
    ) -> Option<Keyed> {
        let Some(node) = answer else {
            self.problem(
                item,
                tr!("site.quiz.no_options"),
                Some(tr!("site.quiz.no_options_hint")),
            );
            return None;
        };
        let text = answer_text(node);
        let Some(right) = judge_word(&text) else {
            self.problem(
                node,
                tr!("site.quiz.judge_word", answer = text),
                Some(tr!("site.quiz.judge_word_hint")),
            );
            return None;
        };
        let (yes, no) = JUDGE_WORDS[0];
        node.insert_before(self.raw(format!(
            "<ul class=\"quiz-options\">{}{}</ul>",
            option_html(0, yes),
            option_html(1, no)
        )));
        let key = format!("[{}]", if right { 0 } else { 1 });
        Some(Keyed {
            kind: QuestionKind::Judge,
            id_source: format!("{yes}{no}{key}"),
            key,
        })
    }

    /// The blanks of a question's text, made inputs: `{{季度|三个月}}`.
    /// Returns each blank's accepted answers.
    fn blanks(&mut self, stem: &'a AstNode<'a>) -> Vec<Vec<String>> {
        merge_texts(stem);
        let mut found = Vec::new();
        let texts: Vec<_> = stem
            .descendants()
            .filter(|n| matches!(n.data().value, NodeValue::Text(_)))
            .collect();
        for text in texts {
            let NodeValue::Text(t) = &text.data().value.clone() else {
                continue;
            };
            if !t.contains("{{") {
                continue;
            }
            let mut rest: &str = t;
            let mut consumed = 0;
            let pos = text.data().sourcepos;
            while let Some(open) = rest.find("{{") {
                let Some(len) = rest[open + 2..].find("}}") else {
                    break;
                };
                let before = &rest[..open];
                if !before.is_empty() {
                    text.insert_before(
                        self.arena
                            .alloc(AstNode::from(NodeValue::Text(before.to_string().into()))),
                    );
                }
                let inner = &rest[open + 2..open + 2 + len];
                let alts: Vec<String> = inner
                    .split(['|', '｜'])
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
                if alts.is_empty() {
                    self.problem_at(
                        pos.start.line,
                        pos.start.column + consumed + open,
                        tr!("site.quiz.empty_blank"),
                        None,
                    );
                }
                text.insert_before(self.raw(String::from(BLANK_INPUT)));
                found.push(alts);
                consumed += open + 2 + len + 2;
                rest = &rest[open + 2 + len + 2..];
            }
            if consumed > 0 {
                if !rest.is_empty() {
                    text.insert_before(
                        self.arena
                            .alloc(AstNode::from(NodeValue::Text(rest.to_string().into()))),
                    );
                }
                text.detach();
            }
        }
        found
    }

    /// A question's options, written as inputs with labels.
    fn options(&mut self, list: &'a AstNode<'a>) -> Vec<Choice<'a>> {
        let items: Vec<_> = list.children().collect();
        let mut choices = Vec::new();
        list.insert_before(self.raw("<ul class=\"quiz-options\">".into()));
        for (i, item) in items.into_iter().enumerate() {
            let ticked = match &item.data().value {
                NodeValue::TaskItem(t) => t.symbol.is_some(),
                _ => false,
            };
            let para = item
                .first_child()
                .filter(|p| matches!(p.data().value, NodeValue::Paragraph));
            let text = para
                .map(|p| collapse(&p.collect_text()))
                .unwrap_or_default();
            let text = strip_letter(&text, i).to_string();
            if let Some(p) = para {
                strip_letter_node(p, i);
            }
            list.insert_before(self.raw(format!(
                "<li><label class=\"quiz-option\"><input type=\"{INPUT_TYPE}\" name=\"{NAME}\" value=\"{i}\"> <span class=\"quiz-option-text\">"
            )));
            if let Some(p) = para {
                let inline: Vec<_> = p.children().collect();
                for child in inline {
                    list.insert_before(child);
                }
            }
            list.insert_before(self.raw("</span></label></li>".into()));
            choices.push(Choice {
                node: item,
                text,
                ticked,
            });
        }
        list.insert_before(self.raw("</ul>".into()));
        list.detach();
        choices
    }

    /// Letters on an answer line (`答案：B`, `答案：A、C`) as option
    /// numbers; a letter that names no option is a problem.
    fn answer_letters(
        &mut self,
        node: &'a AstNode<'a>,
        text: &str,
        options: usize,
    ) -> Option<Vec<usize>> {
        if let Some(right) = judge_word(text).filter(|_| options == 2) {
            return Some(vec![if right { 0 } else { 1 }]);
        }
        let mut letters = Vec::new();
        for c in text.chars() {
            let c = fold_width(c).to_ascii_uppercase();
            match c {
                'A'..='Z' => {
                    let n = (c as u8 - b'A') as usize;
                    if n >= options {
                        self.problem(
                            node,
                            tr!(
                                "site.quiz.no_such_option",
                                letter = c,
                                last = letter(options - 1)
                            ),
                            None,
                        );
                        return None;
                    }
                    if !letters.contains(&n) {
                        letters.push(n);
                    }
                }
                '、' | ',' | '，' | ' ' | '　' | ';' | '；' => {}
                _ => {
                    self.problem(
                        node,
                        tr!(
                            "site.quiz.answer_letters",
                            answer = text,
                            last = letter(options - 1)
                        ),
                        None,
                    );
                    return None;
                }
            }
        }
        letters.sort_unstable();
        (!letters.is_empty()).then_some(letters)
    }

    /// The explanation and what follows it in the item, rendered apart
    /// (the search leaves it out) and hidden until the member submits,
    /// with a quote of each article it cites.
    fn explanation(&mut self, item: &'a AstNode<'a>, first: &'a AstNode<'a>) {
        let mut parts = Vec::new();
        let mut next = Some(first);
        while let Some(node) = next {
            next = node.next_sibling();
            parts.push(node);
        }
        let mut html = String::from("<div class=\"quiz-explain\" hidden>");
        for node in &parts {
            html.push_str(&(self.render)(node));
            for link in node.descendants() {
                if let NodeValue::Link(l) = &link.data().value
                    && let Some(n) = l
                        .url
                        .strip_prefix(SLOT)
                        .and_then(|n| n.parse::<usize>().ok())
                    && !self.out.quotes.contains(&n)
                {
                    self.out.quotes.push(n);
                    html.push_str(&format!("<!--zk:quote:{n}-->"));
                }
            }
        }
        html.push_str("</div>");
        for node in parts {
            node.detach();
        }
        item.append(self.raw(html));
    }

    /// Gives the question's inputs their name (one radio group per
    /// question) and type, and its blanks their numbers and labels.
    fn name_inputs(&mut self, item: &'a AstNode<'a>, id: &str, kind: QuestionKind) {
        let input_type = if kind == QuestionKind::Multiple {
            "checkbox"
        } else {
            "radio"
        };
        let mut blank = 0;
        for node in item.descendants() {
            let mut data = node.data_mut();
            let NodeValue::Raw(html) = &mut data.value else {
                continue;
            };
            if html.contains(NAME) {
                *html = html
                    .replace(NAME, &format!("q-{id}"))
                    .replace(INPUT_TYPE, input_type);
            } else if html == BLANK_INPUT {
                blank += 1;
                // quiz.js names it in the site's words.
                *html = format!(
                    "<input type=\"text\" class=\"quiz-blank\" data-blank=\"{}\" autocomplete=\"off\">",
                    blank - 1
                );
            }
        }
    }
}

/// Placeholders in the inputs written before the question's id and kind
/// are known.
const NAME: &str = "\u{1}name\u{1}";
const INPUT_TYPE: &str = "\u{1}type\u{1}";
const BLANK_INPUT: &str = "\u{1}blank\u{1}";

/// What a question is: its kind, its answer key (JSON, as `data-key`
/// carries it) and what its id hashes besides its text.
struct Keyed {
    kind: QuestionKind,
    key: String,
    id_source: String,
}

/// One option as read.
struct Choice<'a> {
    node: &'a AstNode<'a>,
    /// Its text, without a leading letter (`A.`).
    text: String,
    /// Written `- [x]`.
    ticked: bool,
}

/// An option written for a question that has none (`答案：对`).
fn option_html(value: usize, text: &str) -> String {
    format!(
        "<li><label class=\"quiz-option\"><input type=\"{INPUT_TYPE}\" name=\"{NAME}\" value=\"{value}\"> <span class=\"quiz-option-text\">{}</span></label></li>",
        escape_html(text)
    )
}

#[cfg(test)]
mod tests;
