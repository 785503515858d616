//! Self-test quizzes (issue 19) as a member takes them from disk: marking
//! and the score, answers hidden until submitted, results kept across a
//! reload and a rebuild, 再做一次, broken storage, printing, the
//! single-file edition and a phone's screen.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::sites::{WIDTHS, axe_source, build_site, ensure, file_url, wait_until};

/// The quiz page of [`Fixture`], from the output root.
const PAGE: &str = "quizzes/sanhui/index.html";

/// A small site with one quiz of every kind, its sources beside its
/// output so that a test can edit and rebuild it.
struct Fixture {
    _dir: tempfile::TempDir,
    site: PathBuf,
    out: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = dir.path().join("out");
        write(&site.join("site.toml"), SITE_TOML);
        write(
            &site.join("content/_index.md"),
            "---\ntitle: 首页\n---\n\n学习园地。\n",
        );
        write(
            &site.join("content/quizzes/_index.md"),
            "---\ntitle: 测验\n---\n",
        );
        write(
            &site.join("content/quizzes/sanhui.md"),
            &quiz_source(STEM_1),
        );
        let fixture = Fixture {
            _dir: dir,
            site,
            out,
        };
        fixture.build();
        fixture
    }

    fn build(&self) {
        build_site(&self.site, &self.out);
        hand_made_quiz(&self.out.join(PAGE), &self.site);
    }

    fn url(&self) -> String {
        file_url(&self.out, PAGE)
    }

    /// The trainer rewords the first question and rebuilds.
    fn reword_first_question(&self) {
        let source = self.site.join("content/quizzes/sanhui.md");
        write(&source, &quiz_source(STEM_1_CHANGED));
        self.build();
    }
}

const SITE_TOML: &str = "title = \"学习园地\"\nsite_id = \"quiz-test\"\nlanguage = \"zh-CN\"\n";
const STEM_1: &str = "支部委员会会议一般多久召开一次？";
const STEM_1_CHANGED: &str = "支部委员会会议通常多久召开一次？";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

// ---------- Until the Markdown side lands: a hand-made quiz ----------
// TODO(quiz-rust): replace with the quiz in Markdown once main has it.

fn quiz_source(stem: &str) -> String {
    format!("---\ntitle: 三会一课测验\n---\n\n<!-- {stem} -->\n\nQUIZ-HERE\n")
}

fn key(json: &str) -> String {
    zhiku::base64::encode(json.as_bytes())
}

fn choice(
    id: &str,
    kind: &str,
    stem: &str,
    options: &[&str],
    answer: &str,
    explain: &str,
) -> String {
    let input = if kind == "multiple" {
        "checkbox"
    } else {
        "radio"
    };
    let options: String = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            format!(
                "<li><label class=\"quiz-option\"><input type=\"{input}\" name=\"q-{id}\" value=\"{i}\"> <span class=\"quiz-option-text\">{o}</span></label></li>"
            )
        })
        .collect();
    let explain = if explain.is_empty() {
        String::new()
    } else {
        format!("<div class=\"quiz-explain\" hidden><p>{explain}</p></div>")
    };
    format!(
        "<li class=\"quiz-q\" id=\"q-{id}\" data-q=\"{id}\" data-kind=\"{kind}\" data-key=\"{}\"><p class=\"quiz-stem\">{stem}</p><ul class=\"quiz-options\">{options}</ul>{explain}</li>",
        key(answer)
    )
}

fn hand_made_quiz(file: &Path, site: &Path) {
    let source = std::fs::read_to_string(site.join("content/quizzes/sanhui.md")).unwrap();
    let changed = source.contains(STEM_1_CHANGED);
    let (id1, stem1) = if changed {
        ("zz9x2abc", STEM_1_CHANGED)
    } else {
        ("3k9x2abc", STEM_1)
    };
    let blank = |n: usize| {
        format!(
            "<input type=\"text\" class=\"quiz-blank\" data-blank=\"{n}\" autocomplete=\"off\" aria-label=\"第 {} 空\">",
            n + 1
        )
    };
    let questions = [
        choice(
            id1,
            "single",
            stem1,
            &[
                "每周一次",
                "每月一次",
                "每季度一次，遇有重要情况可以随时召开，由支部书记召集并主持",
            ],
            "[1]",
            "解析：支部委员会会议一般每月召开一次。",
        ),
        choice(
            "m2x8b1aa",
            "multiple",
            "下列属于“三会一课”的有哪些？",
            &["支部党员大会", "党小组会", "座谈会"],
            "[0,1]",
            "解析：三会是支部党员大会、支部委员会和党小组会。",
        ),
        choice(
            "j3c7d2bb",
            "judge",
            "党课可以由支部书记讲。",
            &["对", "错"],
            "[0]",
            "",
        ),
        format!(
            "<li class=\"quiz-q\" id=\"q-b4e6f3cc\" data-q=\"b4e6f3cc\" data-kind=\"blank\" data-key=\"{}\"><p class=\"quiz-stem\">支部党员大会一般每{}召开一次，由支部{}主持。</p><div class=\"quiz-explain\" hidden><p>解析：见条例。</p><blockquote class=\"quiz-cite\"><p>支部党员大会一般每季度召开一次。</p><footer><a href=\"../../index.html\">《支部工作条例》第五条</a></footer></blockquote></div></li>",
            key(r#"[["季度","三个月"],["书记"]]"#),
            blank(0),
            blank(1)
        ),
        choice(
            "s5a1e4dd",
            "single",
            "党小组会一般多久召开一次？",
            &["每月一次", "每年一次"],
            "[0]",
            "",
        ),
    ];
    let quiz = format!(
        "<div class=\"quiz\" data-quiz=\"0\"><p>请回答下列问题。</p><ol>{}</ol></div>",
        questions.concat()
    );
    let html = std::fs::read_to_string(file).unwrap();
    let html = html
        .replace("<p>QUIZ-HERE</p>", &quiz)
        .replacen(
            "<article class=\"page kind-page\"",
            "<article class=\"page kind-page\" data-quiz-key=\"zhiku:quiz-test:quiz:quizzes/sanhui/\" data-quiz-page=\"quizzes/sanhui/\"",
            1,
        )
        .replacen(
            "</head>",
            "<link rel=\"stylesheet\" href=\"../../assets/quiz.css\">\n<script src=\"../../assets/quiz.js\" defer></script>\n</head>",
            1,
        );
    assert!(html.contains("data-quiz-key"), "{html}");
    std::fs::write(file, html).unwrap();
}

// ---------- Answering ----------

/// Opens the quiz and waits for its script (the submit button is its).
fn open(page: &mut Page<'_>, url: &str) -> Result<()> {
    page.goto(url)?;
    wait_for(
        page,
        "document.querySelector('[data-quiz-submit]')",
        "the quiz script",
    )
}

fn wait_for(page: &mut Page<'_>, expr: &str, what: &str) -> Result<()> {
    wait_until(page, expr, what, Duration::from_secs(5))
}

/// The `n`th question (0-based) as JavaScript.
fn q(n: usize) -> String {
    format!("document.querySelectorAll('.quiz-q')[{n}]")
}

/// Ticks the option of question `n` whose text is `text`.
fn choose(page: &mut Page<'_>, n: usize, text: &str) -> Result<()> {
    let js = format!(
        "(() => {{ const l = Array.from({q}.querySelectorAll('.quiz-option')).find(l => l.querySelector('.quiz-option-text').textContent === {t}); \
         if (!l) throw new Error('no option ' + {t}); l.querySelector('input').click(); }})()",
        q = q(n),
        t = json!(text)
    );
    page.eval(&js).map(|_| ())
}

/// Types `text` into blank `b` of question `n`.
fn fill(page: &mut Page<'_>, n: usize, b: usize, text: &str) -> Result<()> {
    let js = format!(
        "(() => {{ const i = {q}.querySelectorAll('input.quiz-blank')[{b}]; i.focus(); i.value = {t}; \
         i.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()",
        q = q(n),
        t = json!(text)
    );
    page.eval(&js).map(|_| ())
}

fn click(page: &mut Page<'_>, hook: &str) -> Result<()> {
    page.eval(&format!(
        "document.querySelector('[data-quiz-{hook}]').click()"
    ))
    .map(|_| ())
}

/// Answers the fixture: question 1 right, 2 wrong (both right options and
/// a wrong one), 3 right, 4 half right (so wrong), 5 left blank.
fn answer_some(page: &mut Page<'_>) -> Result<()> {
    choose(page, 0, "每月一次")?;
    choose(page, 1, "支部党员大会")?;
    choose(page, 1, "党小组会")?;
    choose(page, 1, "座谈会")?;
    choose(page, 2, "对")?;
    // Spaces and full-width letters do not matter; the second is wrong.
    fill(page, 3, 0, " 季 度 ")?;
    fill(page, 3, 1, "主任")
}

/// What the page shows of the quiz: each question's class, its marked
/// options and blanks, whether its explanation shows; the score.
fn state(page: &mut Page<'_>) -> Result<Value> {
    page.eval(
        "(() => { const shown = e => !!e && getComputedStyle(e).display !== 'none' && !e.closest('[hidden]'); \
         return { questions: Array.from(document.querySelectorAll('.quiz-q'), q => ({ \
           result: q.classList.contains('is-right') ? 'right' : q.classList.contains('is-wrong') ? 'wrong' : '', \
           verdict: (q.querySelector('.quiz-verdict') || {}).textContent || '', \
           answer: Array.from(q.querySelectorAll('.is-answer .quiz-option-text'), e => e.textContent), \
           chosenWrong: Array.from(q.querySelectorAll('.is-chosen-wrong .quiz-option-text'), e => e.textContent), \
           blankAnswers: Array.from(q.querySelectorAll('.quiz-blank-answer'), e => e.textContent), \
           explained: shown(q.querySelector('.quiz-explain')), \
           disabled: Array.from(q.querySelectorAll('input')).every(i => i.disabled), \
           given: Array.from(q.querySelectorAll('input'), i => i.type === 'text' ? i.value : i.checked ? i.value : null).filter(v => v !== null) })), \
           score: document.querySelector('.quiz-score').textContent, \
           submitShown: shown(document.querySelector('[data-quiz-submit]')), \
           retryShown: shown(document.querySelector('[data-quiz-retry]')) }; })()",
    )
}

fn no_problems(page: &mut Page<'_>) -> Result<()> {
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}

/// The marks and the score after [`answer_some`] and 交卷.
fn check_marked(s: &Value) -> Result<()> {
    let qs = &s["questions"];
    let results: Vec<&str> = (0..5)
        .map(|i| qs[i]["result"].as_str().unwrap_or(""))
        .collect();
    ensure(
        results == ["right", "wrong", "right", "wrong", "wrong"],
        || format!("right and wrong: {results:?} in {s:#}"),
    )?;
    ensure(
        s["score"].as_str().unwrap_or("")
            == "答对 2 题，共 5 题（40 分）其中 1 题未作答，按答错计。",
        || format!("score: {}", s["score"]),
    )?;
    // Told by words, not colour alone.
    ensure(
        qs[0]["verdict"] == "✓答对" && qs[1]["verdict"] == "✗答错" && qs[4]["verdict"] == "✗未作答",
        || format!("verdicts: {s:#}"),
    )?;
    ensure(
        qs[1]["answer"] == json!(["支部党员大会", "党小组会"])
            && qs[1]["chosenWrong"] == json!(["座谈会"])
            && qs[0]["answer"] == json!(["每月一次"])
            && qs[0]["chosenWrong"] == json!([]),
        || format!("options marked: {s:#}"),
    )?;
    ensure(
        qs[3]["blankAnswers"] == json!(["正确答案：书记"]),
        || format!("the wrong blank's answer: {s:#}"),
    )?;
    ensure(
        qs[0]["explained"] == true && qs[1]["explained"] == true && qs[3]["explained"] == true,
        || format!("explanations not shown: {s:#}"),
    )?;
    ensure((0..5).all(|i| qs[i]["disabled"] == true), || {
        format!("inputs still enabled: {s:#}")
    })?;
    ensure(s["submitShown"] == false && s["retryShown"] == true, || {
        format!("buttons after submitting: {s:#}")
    })
}

pub fn marks_every_kind_and_scores(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &fixture.url())?;
    // Before submitting, nothing gives the answers away.
    let badges = page.eval(
        "Array.from(document.querySelectorAll('.quiz-q'), q => q.querySelector('.quiz-stem .quiz-kind').textContent)",
    )?;
    ensure(
        badges == json!(["单选", "多选", "判断", "填空", "单选"]),
        || format!("kind badges: {badges}"),
    )?;
    answer_some(&mut page)?;
    let before = state(&mut page)?;
    let hidden = before["questions"].as_array().is_some_and(|qs| {
        qs.iter().all(|q| {
            q["result"] == ""
                && q["explained"] == false
                && q["answer"] == json!([])
                && q["blankAnswers"] == json!([])
        })
    });
    ensure(
        hidden && before["score"] == "" && before["retryShown"] == false,
        || format!("answers show before submitting: {before:#}"),
    )?;
    ensure(
        page.eval_bool(
            "document.querySelectorAll('.quiz .is-answer, .quiz .quiz-key-answer').length === 0",
        )?,
        || "an answer is marked before submitting".into(),
    )?;
    click(&mut page, "submit")?;
    check_marked(&state(&mut page)?)?;
    ensure(
        page.eval_bool("document.activeElement === document.querySelector('.quiz-score')")?,
        || "focus did not move to the score".into(),
    )?;
    no_problems(&mut page)
}

/// The stored record of the fixture's quiz.
fn record(page: &mut Page<'_>) -> Result<Value> {
    let text = page.eval(
        "localStorage.getItem(document.querySelector('[data-quiz-key]').getAttribute('data-quiz-key') + ':0')",
    )?;
    Ok(serde_json::from_str(text.as_str().unwrap_or("null")).unwrap_or(Value::Null))
}

pub fn results_survive_a_reload_and_a_changed_question_starts_fresh(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &fixture.url())?;
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    let saved = record(&mut page)?;
    ensure(
        saved["v"] == 1
            && saved["page"] == "quizzes/sanhui/"
            && saved["title"] == "三会一课测验"
            && saved["score"] == 2
            && saved["total"] == 5
            && saved["answers"]["m2x8b1aa"] == json!([0, 1, 2])
            && saved["answers"]["b4e6f3cc"] == json!([" 季 度 ", "主任"])
            && saved["answers"]["s5a1e4dd"] == json!([])
            && saved["wrong"]["b4e6f3cc"] == "支部党员大会一般每＿＿召开一次，由支部＿＿主持。"
            && saved["wrong"].get("3k9x2abc").is_none()
            && saved["at"].as_str().is_some_and(|t| t.ends_with('Z')),
        || format!("stored record: {saved:#}"),
    )?;
    // See checklist.rs: Chromium may write storage a moment later.
    std::thread::sleep(Duration::from_millis(1500));
    open(&mut page, &fixture.url())?;
    let after = state(&mut page)?;
    check_marked(&after)?;
    ensure(
        after["questions"][3]["given"] == json!([" 季 度 ", "主任"]),
        || format!("blanks not restored: {after:#}"),
    )?;

    fixture.reword_first_question();
    open(&mut page, &fixture.url())?;
    let s = state(&mut page)?;
    let qs = &s["questions"];
    ensure(
        qs[0]["given"] == json!([]) && qs[0]["disabled"] == false && qs[0]["result"] == "",
        || format!("the changed question kept an answer: {s:#}"),
    )?;
    ensure(
        qs[1]["given"] == json!(["0", "1", "2"])
            && qs[2]["given"] == json!(["0"])
            && qs[3]["given"] == json!([" 季 度 ", "主任"]),
        || format!("the other questions lost their answers: {s:#}"),
    )?;
    // Open again to answer the changed question, answers still hidden.
    ensure(
        s["submitShown"] == true
            && (0..5).all(|i| qs[i]["result"] == "" && qs[i]["explained"] == false),
        || format!("not open for the changed question: {s:#}"),
    )?;
    no_problems(&mut page)
}

pub fn retry_clears_the_answers(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &fixture.url())?;
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    click(&mut page, "retry")?;
    let s = state(&mut page)?;
    let cleared = s["questions"].as_array().is_some_and(|qs| {
        qs.iter().all(|q| {
            let empty = q["given"] == json!(["", ""]) || q["given"] == json!([]);
            empty
                && q["result"] == ""
                && q["disabled"] == false
                && q["explained"] == false
                && q["answer"] == json!([])
                && q["chosenWrong"] == json!([])
                && q["blankAnswers"] == json!([])
                && q["verdict"] == ""
        })
    });
    ensure(
        cleared && s["score"] == "" && s["submitShown"] == true,
        || format!("not cleared: {s:#}"),
    )?;
    ensure(record(&mut page)?["score"] == 2, || {
        "再做一次 dropped the stored record".into()
    })?;
    // A second round replaces it.
    choose(&mut page, 0, "每月一次")?;
    click(&mut page, "submit")?;
    let again = record(&mut page)?;
    ensure(
        again["score"] == 1 && again["answers"]["m2x8b1aa"] == json!([]),
        || format!("the second round was not stored: {again:#}"),
    )?;
    no_problems(&mut page)
}

pub fn works_when_storage_is_full_or_blocked(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };\
         Storage.prototype.getItem = function () { throw new DOMException('blocked', 'SecurityError'); };",
    )?;
    open(&mut page, &fixture.url())?;
    let notice = page.eval(
        "(() => { const w = document.querySelector('.quiz-warning'); return w && !w.hidden ? w.textContent : null; })()",
    )?;
    ensure(
        notice == "此浏览器无法保存答题记录，关闭页面后需重新作答",
        || format!("the notice that answers are not kept: {notice}"),
    )?;
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    check_marked(&state(&mut page)?)?;
    no_problems(&mut page)
}

pub fn prints_a_blank_copy_and_the_answer_key(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    // Record what is set up when the print dialog would open.
    page.add_init_script(
        "window.print = () => { window.printedWith = document.documentElement.className; \
           window.printedKeys = Array.from(document.querySelectorAll('.quiz-key-answer'), e => e.textContent); \
           window.printedMarked = Array.from(document.querySelectorAll('.is-key .quiz-option-text'), e => e.textContent); };",
    )?;
    open(&mut page, &fixture.url())?;
    page.emulate_media("print")?;
    let shown = "(sel => Array.from(document.querySelectorAll(sel)).filter(e => getComputedStyle(e).display !== 'none').length)";

    // The trainer prints the key without answering.
    click(&mut page, "print-key")?;
    let key = page.eval(&format!(
        "({{ printed: window.printedWith, keys: window.printedKeys, marked: window.printedMarked, \
           explained: {shown}('.quiz-explain'), bar: {shown}('.quiz-bar') }})"
    ))?;
    ensure(
        key["printed"]
            .as_str()
            .is_some_and(|c| c.contains("quiz-print-key"))
            && key["keys"] == json!(["季度 或 三个月", "书记"])
            && key["marked"] == json!(["每月一次", "支部党员大会", "党小组会", "对", "每月一次"])
            && key["explained"] == 3
            && key["bar"] == 0,
        || format!("the answer key: {key}"),
    )?;
    page.eval("dispatchEvent(new Event('afterprint'))")?;
    ensure(
        page.eval_bool(
            "!/quiz-print/.test(document.documentElement.className) && !document.querySelector('.quiz-key-answer, .is-key') \
             && Array.from(document.querySelectorAll('.quiz-explain')).every(e => e.hidden)",
        )?,
        || "the key stays after printing".into(),
    )?;

    // A normal print of an answered quiz shows what is on screen.
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    ensure(
        page.eval_bool(&format!(
            "{shown}('.quiz-bar') === 0 && {shown}('.quiz-verdict') === 5"
        ))?,
        || "printing the answered quiz: bar shown or marks hidden".into(),
    )?;
    // 打印空白试卷 leaves out the member's answers and the marks.
    click(&mut page, "print-blank")?;
    let blank = page.eval(&format!(
        "({{ printed: window.printedWith, marks: {shown}('.quiz-verdict, .quiz-option-mark, .quiz-blank-answer, .quiz-explain'), \
           filled: Array.from(document.querySelectorAll('.quiz-option input')).filter(i => getComputedStyle(i).backgroundColor !== 'rgb(255, 255, 255)').length, \
           written: Array.from(document.querySelectorAll('.quiz-blank')).filter(i => getComputedStyle(i).color !== 'rgba(0, 0, 0, 0)').length }})"
    ))?;
    ensure(
        blank["printed"]
            .as_str()
            .is_some_and(|c| c.contains("quiz-print-blank"))
            && blank["marks"] == 0
            && blank["filled"] == 0
            && blank["written"] == 0,
        || format!("the blank print: {blank}"),
    )?;
    page.eval("dispatchEvent(new Event('afterprint'))")?;
    no_problems(&mut page)
}

pub fn fits_a_phone_in_both_schemes_and_passes_axe(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let axe = axe_source();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        for submitted in [false, true] {
            open(&mut page, &fixture.url())?;
            page.eval(&format!(
                "document.documentElement.dataset.theme = '{theme}'"
            ))?;
            answer_some(&mut page)?;
            if submitted {
                click(&mut page, "submit")?;
            }
            let widths = page.eval(WIDTHS)?;
            if widths[0] != widths[1] {
                found.push(format!(
                    "{theme}, submitted {submitted}: scroll width {widths}"
                ));
            }
            let short = page.eval(
                "Array.from(document.querySelectorAll('.quiz-option'), l => l.getBoundingClientRect().height).filter(h => h < 44)",
            )?;
            if short != json!([]) {
                found.push(format!("{theme}: options under 44 px high: {short}"));
            }
            no_problems(&mut page)?;
            // axe reads the stylesheets, which from disk logs an error.
            page.eval(&axe)?;
            let violations = page.eval(
                "axe.run(document.querySelector('.quiz'), { resultTypes: ['violations'] }).then(r => r.violations \
                 .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
            )?;
            for v in violations.as_array().into_iter().flatten() {
                found.push(format!(
                    "{theme}, submitted {submitted}: {}",
                    v.as_str().unwrap_or_default()
                ));
            }
            page.eval("localStorage.clear()")?;
        }
    }
    ensure(found.is_empty(), || found.join("\n"))
}

/// Screenshots of the quiz on a phone, being answered and submitted, in
/// both schemes (see `shots`).
pub fn screenshots(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    for theme in ["light", "dark"] {
        open(&mut page, &fixture.url())?;
        page.eval(&format!(
            "document.documentElement.dataset.theme = '{theme}'"
        ))?;
        answer_some(&mut page)?;
        page.eval("document.querySelector('.quiz-q').scrollIntoView()")?;
        crate::shots::capture(&mut page, &format!("quiz-{theme}-360.png"), (360, 740))?;
        click(&mut page, "submit")?;
        page.eval("document.querySelectorAll('.quiz-q')[1].scrollIntoView()")?;
        crate::shots::capture(
            &mut page,
            &format!("quiz-{theme}-submitted-360.png"),
            (360, 740),
        )?;
        page.eval("localStorage.clear()")?;
    }
    Ok(())
}
