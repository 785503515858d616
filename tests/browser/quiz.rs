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

/// A small site with a quiz page holding one question of every kind (and
/// one to leave blank), a regulation its explanations cite, and a case
/// with two quiz blocks; its sources beside its output so that a test can
/// edit and rebuild it.
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
        for (rel, text) in [
            ("site.toml", SITE_TOML),
            ("content/_index.md", "---\ntitle: 首页\n---\n\n学习园地。\n"),
            ("content/regulations/tiaoli.md", REGULATION),
            ("content/quizzes/_index.md", "---\ntitle: 测验\n---\n"),
            ("content/quizzes/sanhui.md", QUIZ),
            ("content/cases/anli.md", CASE),
        ] {
            write(&site.join(rel), text);
        }
        build_site(&site, &out);
        Fixture {
            _dir: dir,
            site,
            out,
        }
    }

    fn url(&self) -> String {
        file_url(&self.out, PAGE)
    }

    /// The trainer rewords the first question and rebuilds.
    fn reword_first_question(&self) {
        let source = self.site.join("content/quizzes/sanhui.md");
        let text = std::fs::read_to_string(&source).unwrap();
        write(&source, &text.replace("会议一般多久", "会议通常多久"));
        build_site(&self.site, &self.out);
    }
}

const SITE_TOML: &str = "title = \"学习园地\"\nsite_id = \"quiz-test\"\nlanguage = \"zh-CN\"\n";

const REGULATION: &str = "---\ntitle: 支部工作条例\nkind: regulation\n---\n\n\
第五条 支部党员大会一般每季度召开一次，由支部书记主持。\n";

const QUIZ: &str = "---\ntitle: 三会一课测验\nkind: quiz\n---\n\n请回答下列问题。\n\n\
1. 支部委员会会议一般多久召开一次？\n   \
- [ ] 每周一次\n   - [x] 每月一次\n   \
- [ ] 每季度一次，遇有重要情况可以随时召开，由支部书记召集并主持\n\n   \
解析：支部委员会会议一般每月召开一次。\n\n\
2. 下列属于“三会一课”的有哪些？\n   \
- [x] 支部党员大会\n   - [x] 党小组会\n   - [ ] 座谈会\n\n   \
解析：三会是支部党员大会、支部委员会和党小组会。\n\n\
3. 党课可以由支部书记讲。\n\n   答案：对\n\n\
4. 支部党员大会一般每{{季度|三个月}}召开一次，由支部{{书记}}主持。\n\n   \
解析：见[[支部工作条例#第五条]]。\n\n\
5. 党小组会一般多久召开一次？\n   - [x] 每月一次\n   - [ ] 每年一次\n";

/// Two quiz blocks in an ordinary page: each scored and kept on its own.
const CASE: &str = "---\ntitle: 案例\nkind: case\n---\n\n正文。\n\n\
> [!测验] 读后自测一\n>\n> 1. 记录应当怎样？\n>    - [x] 单独记录\n>    - [ ] 合并记录\n\n\
中间的正文。\n\n\
> [!测验] 读后自测二\n>\n> 1. 会议可以代替吗？\n>\n>    答案：错\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
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

/// The `n`th question (0-based) of the quiz page as JavaScript (in the
/// single file, other pages hold quizzes too).
fn q(n: usize) -> String {
    format!("document.querySelector('article.kind-quiz').querySelectorAll('.quiz-q')[{n}]")
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
        "document.querySelector('article.kind-quiz').querySelector('[data-quiz-{hook}]').click()"
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
        "(() => { const shown = e => !!e && e.getClientRects().length > 0; \
         return { questions: Array.from(document.querySelector('article.kind-quiz').querySelectorAll('.quiz-q'), q => ({ \
           result: q.classList.contains('is-right') ? 'right' : q.classList.contains('is-wrong') ? 'wrong' : '', \
           verdict: (q.querySelector('.quiz-verdict') || {}).textContent || '', \
           answer: Array.from(q.querySelectorAll('.is-answer .quiz-option-text'), e => e.textContent), \
           chosenWrong: Array.from(q.querySelectorAll('.is-chosen-wrong .quiz-option-text'), e => e.textContent), \
           blankAnswers: Array.from(q.querySelectorAll('.quiz-blank-answer'), e => e.textContent), \
           explained: shown(q.querySelector('.quiz-explain')), \
           disabled: Array.from(q.querySelectorAll('input')).every(i => i.disabled), \
           given: Array.from(q.querySelectorAll('input'), i => i.type === 'text' ? i.value : i.checked ? i.value : null).filter(v => v !== null) })), \
           score: document.querySelector('article.kind-quiz').querySelector('.quiz-score').textContent, \
           submitShown: shown(document.querySelector('article.kind-quiz').querySelector('[data-quiz-submit]')), \
           retryShown: shown(document.querySelector('article.kind-quiz').querySelector('[data-quiz-retry]')) }; })()",
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

/// The questions' ids, in page order.
fn ids(page: &mut Page<'_>) -> Result<Vec<String>> {
    let ids = page
        .eval("Array.from(document.querySelectorAll('.quiz-q'), q => q.getAttribute('data-q'))")?;
    Ok(serde_json::from_value(ids).unwrap_or_default())
}

/// The stored record of the fixture's quiz.
fn record(page: &mut Page<'_>) -> Result<Value> {
    let text = page.eval(
        "localStorage.getItem(document.querySelector('article.kind-quiz').getAttribute('data-quiz-key') + ':0')",
    )?;
    Ok(serde_json::from_str(text.as_str().unwrap_or("null")).unwrap_or(Value::Null))
}

pub fn results_survive_a_reload_and_a_changed_question_starts_fresh(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &fixture.url())?;
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    let id = ids(&mut page)?;
    let saved = record(&mut page)?;
    ensure(
        saved["v"] == 1
            && saved["page"] == "quizzes/sanhui/"
            && saved["title"] == "三会一课测验"
            && saved["score"] == 2
            && saved["total"] == 5
            && saved["answers"][&id[1]] == json!([0, 1, 2])
            && saved["answers"][&id[3]] == json!([" 季 度 ", "主任"])
            && saved["answers"][&id[4]] == json!([])
            && saved["wrong"][&id[3]] == "支部党员大会一般每＿＿召开一次，由支部＿＿主持。"
            && saved["wrong"].get(&id[0]).is_none()
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
        again["score"] == 1 && again["answers"][&ids(&mut page)?[1]] == json!([]),
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
        page.eval("document.querySelector('.quiz-q').scrollIntoView({ behavior: 'instant' })")?;
        crate::shots::capture(&mut page, &format!("quiz-{theme}-360.png"), (360, 740))?;
        click(&mut page, "submit")?;
        page.eval(
            "document.querySelectorAll('.quiz-q')[1].scrollIntoView({ behavior: 'instant' })",
        )?;
        crate::shots::capture(
            &mut page,
            &format!("quiz-{theme}-submitted-360.png"),
            (360, 740),
        )?;
        page.eval("document.querySelector('.quiz-bar').scrollIntoView({ block: 'end', behavior: 'instant' })")?;
        crate::shots::capture(
            &mut page,
            &format!("quiz-{theme}-score-360.png"),
            (360, 740),
        )?;
        page.eval("localStorage.clear()")?;
    }
    Ok(())
}

pub fn quiz_blocks_on_one_page_are_scored_and_kept_apart(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let url = file_url(&fixture.out, "cases/anli/index.html");
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &url)?;
    let bars = page.eval(
        "Array.from(document.querySelectorAll('.quiz'), b => b.querySelectorAll('[data-quiz-submit]').length)",
    )?;
    ensure(bars == json!([1, 1]), || format!("bars per block: {bars}"))?;
    // The second block only: 错 is right.
    page.eval(
        "(() => { const b = document.querySelectorAll('.quiz')[1]; \
         Array.from(b.querySelectorAll('.quiz-option')).find(l => l.textContent.includes('错')).querySelector('input').click(); \
         b.querySelector('[data-quiz-submit]').click(); })()",
    )?;
    let stored = page.eval(
        "(() => { const k = document.querySelector('[data-quiz-key]').getAttribute('data-quiz-key'); \
         return [localStorage.getItem(k + ':0'), JSON.parse(localStorage.getItem(k + ':1'))]; })()",
    )?;
    ensure(
        stored[0].is_null() && stored[1]["score"] == 1 && stored[1]["total"] == 1,
        || format!("records of the two blocks: {stored}"),
    )?;
    let scores =
        page.eval("Array.from(document.querySelectorAll('.quiz-score'), s => s.textContent)")?;
    ensure(
        scores == json!(["", "答对 1 题，共 1 题（100 分）"]),
        || format!("scores of the two blocks: {scores}"),
    )?;
    no_problems(&mut page)
}

/// Ticks every right option and types every blank's first answer, read
/// from the questions' keys as the Rust side wrote them.
const ANSWER_ALL_RIGHT: &str = "document.querySelectorAll('.quiz-q').forEach(q => { \
     const bytes = Uint8Array.from(atob(q.dataset.key), c => c.charCodeAt(0)); \
     const key = JSON.parse(new TextDecoder().decode(bytes)); \
     if (q.dataset.kind === 'blank') q.querySelectorAll('input.quiz-blank').forEach((b, i) => { b.value = key[i][0]; }); \
     else q.querySelectorAll('.quiz-options input').forEach(i => { if (key.includes(Number(i.value))) i.click(); }); })";

pub fn the_sample_quizzes_score_full_marks_for_right_answers(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    let dir = out.join("quizzes");
    let mut quizzes: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "print")
        .map(|e| format!("quizzes/{}/index.html", e.file_name().to_string_lossy()))
        .collect();
    quizzes.sort();
    ensure(!quizzes.is_empty(), || "the sample has no quizzes".into())?;
    for rel in &quizzes {
        open(&mut page, &file_url(&out, rel))?;
        page.eval(ANSWER_ALL_RIGHT)?;
        click(&mut page, "submit")?;
        let score = page.eval("document.querySelector('.quiz-score').textContent")?;
        let total = page.eval_bool("document.querySelectorAll('.quiz-q.is-right').length === document.querySelectorAll('.quiz-q').length")?;
        ensure(
            total && score.as_str().is_some_and(|s| s.ends_with("（100 分）")),
            || format!("{rel}: all right gives {score}"),
        )?;
        let widths = page.eval(WIDTHS)?;
        ensure(widths[0] == widths[1], || {
            format!("{rel}: scroll width {} > viewport {}", widths[0], widths[1])
        })?;
        no_problems(&mut page)?;
        page.eval("localStorage.clear()")?;
    }
    Ok(())
}

pub fn the_single_file_edition_answers_and_keeps_results(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let file = fixture._dir.path().join("学习园地.html");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .arg("pack")
        .arg(&fixture.site)
        .arg("--single-file")
        .arg("-o")
        .arg(&file)
        .output()
        .expect("zhiku pack");
    ensure(run.status.success(), || {
        String::from_utf8_lossy(&run.stderr).into_owned()
    })?;
    let url = format!("file://{}", file.display());
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    open(&mut page, &url)?;
    let outside = page.eval(
        "Array.from(document.querySelectorAll('[src], link[href]'), e => e.getAttribute('src') || e.getAttribute('href'))\
         .filter(u => !u.startsWith('#') && !u.startsWith('data:'))",
    )?;
    ensure(outside == json!([]), || {
        format!("files outside the single file: {outside}")
    })?;
    // Printing prints the whole file: no print buttons, as for checklists.
    ensure(
        page.eval_bool("document.querySelectorAll('[data-quiz-print-blank], [data-quiz-print-key]').length === 0")?,
        || "print buttons in the single file".into(),
    )?;
    answer_some(&mut page)?;
    click(&mut page, "submit")?;
    check_marked(&state(&mut page)?)?;
    std::thread::sleep(Duration::from_millis(1500));
    open(&mut page, &url)?;
    check_marked(&state(&mut page)?)?;
    let widths = page.eval(WIDTHS)?;
    ensure(widths[0] == widths[1], || {
        format!("scroll width {} > viewport {}", widths[0], widths[1])
    })?;
    no_problems(&mut page)
}

/// In each engine (`engines.rs`): a sample quiz answered right scores
/// 100, and the result is back after a reload.
pub fn engines_a_quiz_scores_and_survives_a_reload(
    e: &mut dyn crate::engines::Engine,
    c: &crate::engines::Copies,
) -> Result<()> {
    use crate::engines::{errors, open, url, wait};
    let tab = e.tab();
    let page = url(&c.sample, "quizzes/sanhui-yike/index.html");
    open(tab, &page)?;
    tab.eval("localStorage.clear()")?;
    open(tab, &page)?;
    wait(
        tab,
        "document.querySelector('[data-quiz-submit]')",
        "the quiz script",
        5,
    )?;
    // Not TextDecoder: the test reads the keys the way any engine can.
    tab.eval(
        "(() => { document.querySelectorAll('.quiz-q').forEach(q => { \
           const key = JSON.parse(decodeURIComponent(escape(atob(q.dataset.key)))); \
           if (q.dataset.kind === 'blank') q.querySelectorAll('input.quiz-blank').forEach((b, i) => { b.value = key[i][0]; }); \
           else q.querySelectorAll('.quiz-options input').forEach(i => { if (key.includes(Number(i.value))) i.click(); }); }); \
         document.querySelector('[data-quiz-submit]').click(); })()",
    )?;
    let full = "document.querySelector('.quiz-score').textContent.endsWith('（100 分）') \
                && document.querySelectorAll('.quiz-q.is-right').length === document.querySelectorAll('.quiz-q').length";
    wait(tab, full, "100 分 for right answers", 3)?;
    tab.eval("new Promise(r => setTimeout(r, 500))")?;
    open(tab, &page)?;
    wait(tab, full, "the result after a reload", 3)?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{found:#?}"))
}

pub fn an_english_quiz_speaks_english(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = crate::sites::small_site(&[
        (
            "site.toml",
            "title = \"Study notes\"\nsite_id = \"en-quiz\"\nlanguage = \"en\"\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\n\nNotes.\n"),
        (
            "content/check.md",
            "---\ntitle: Check yourself\nkind: quiz\n---\n\n\
             1. How often does the branch committee meet?\n   - [ ] Weekly\n   - [x] Monthly\n\n\
             2. Which are meetings of the branch?\n   - [x] The general meeting\n   - [x] The group meeting\n   - [ ] A trade fair\n",
        ),
    ]);
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "check/index.html"))?;
    choose(&mut page, 0, "Monthly")?;
    click(&mut page, "submit")?;
    let seen = page.eval(
        "({ kinds: Array.from(document.querySelectorAll('.quiz-kind'), b => b.textContent), \
           score: document.querySelector('.quiz-score').textContent, \
           buttons: Array.from(document.querySelectorAll('.quiz-bar button'), b => b.textContent) })",
    )?;
    ensure(
        seen["kinds"] == json!(["Single choice", "Multiple choice"])
            && seen["score"]
                == "1 of 2 right (50 points)1 question was left blank and counts as wrong."
            && seen["buttons"]
                == json!([
                    "Submit answers",
                    "Try again",
                    "Print a blank quiz",
                    "Print the answer key"
                ]),
        || format!("an English quiz: {seen:#}"),
    )?;
    no_problems(&mut page)
}

pub fn a_keyboard_answers_submits_and_starts_over(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &fixture.url())?;
    page.eval(&format!("{}.querySelector('input').focus()", q(0)))?;
    // Arrow keys move through a question's options, as in any radio group.
    page.press_key("ArrowDown", "ArrowDown", 40)?;
    ensure(
        page.eval_bool(&format!("{}.querySelectorAll('input')[1].checked", q(0)))?,
        || "ArrowDown did not choose the next option".into(),
    )?;
    // Tab reaches 交卷 through the other questions' inputs.
    let mut stops = Vec::new();
    for _ in 0..20 {
        page.press_key("Tab", "Tab", 9)?;
        let at = page.eval(
            "(e => e.hasAttribute('data-quiz-submit') ? 'submit' : e.tagName + '.' + (e.type || '') + '@' + (e.closest('.quiz-q') || {}).id)(document.activeElement)",
        )?;
        let done = at == "submit";
        stops.push(at);
        if done {
            break;
        }
    }
    ensure(stops.last() == Some(&json!("submit")), || {
        format!("Tab never reached 交卷: {stops:?}")
    })?;
    page.press_key("Enter", "Enter", 13)?;
    ensure(
        page.eval_bool(
            "document.activeElement.classList.contains('quiz-score') && document.activeElement.textContent.startsWith('答对 1 题')",
        )?,
        || "Enter on 交卷 did not submit and move to the score".into(),
    )?;
    page.eval("document.querySelector('[data-quiz-retry]').focus()")?;
    page.press_key("Enter", "Enter", 13)?;
    ensure(
        page.eval_bool(&format!(
            "document.activeElement === {}.querySelector('input') && !document.activeElement.disabled",
            q(0)
        ))?,
        || "再做一次 did not bring the keyboard back to the first question".into(),
    )?;
    no_problems(&mut page)
}

pub fn the_sections_print_page_prints_its_quizzes_blank(ctx: &mut Ctx) -> Result<()> {
    let fixture = Fixture::new();
    let mut page = ctx.browser.new_page()?;
    page.goto(&file_url(&fixture.out, "quizzes/print/index.html"))?;
    page.emulate_media("print")?;
    let seen = page.eval(
        "(() => { const css = (sel, prop) => Array.from(document.querySelectorAll(sel), e => getComputedStyle(e)[prop]); \
           return { questions: document.querySelectorAll('.quiz-q').length, \
             explained: Array.from(document.querySelectorAll('.quiz-explain')).filter(e => e.getClientRects().length).length, \
             radios: css('.quiz-option input[type=radio]', 'borderRadius'), \
             boxes: css('.quiz-option input[type=checkbox]', 'borderRadius'), \
             blanks: css('.quiz-blank', 'borderTopWidth').concat(css('.quiz-blank', 'borderBottomStyle')) }; })()",
    )?;
    let all = |key: &str, want: &str| {
        seen[key]
            .as_array()
            .is_some_and(|v| !v.is_empty() && v.iter().all(|x| x == want))
    };
    ensure(
        seen["questions"] == 5
            && seen["explained"] == 0
            && all("radios", "50%")
            && all("boxes", "0px")
            && seen["blanks"] == json!(["0px", "0px", "solid", "solid"]),
        || format!("the print page's quiz: {seen:#}"),
    )?;
    no_problems(&mut page)
}
