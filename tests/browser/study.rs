//! Study progress as a member keeps it, from disk: 学完了 on a page, the
//! progress it makes on the section and home pages, the study record and
//! the wrong-answer page, and what happens when storage is refused.

use serde_json::Value;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::sites::{ensure, file_url, wait_until};

const REGULATION: &str = "regulations/zhibu-gongzuo-guiding/index.html";

fn text_of(page: &mut Page<'_>, selector: &str) -> Result<String> {
    let v = page.eval(&format!(
        "(e => e ? e.textContent.replace(/\\s+/g, ' ').trim() : null)(document.querySelector({}))",
        Value::from(selector)
    ))?;
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("nothing matches {selector}"))
}

/// Opens `rel` of the sample and fails on any console error or failed
/// request.
fn open(page: &mut Page<'_>, ctx_sample: &std::path::Path, rel: &str) -> Result<()> {
    page.goto(&file_url(ctx_sample, rel))?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{rel}: {problems:#?}"))
}

/// Chromium hands storage writes to another process: a page opened
/// within milliseconds may not see them yet (a member takes seconds).
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1200));
}

/// Opens `rel` until `expr` holds, three times at most. Under load,
/// headless Chromium has once shown a page from disk an empty storage
/// seconds after another page had read the write (the same race the
/// checklist test works around); the storage itself was right, and the
/// next load saw it.
fn open_until(page: &mut Page<'_>, sample: &std::path::Path, rel: &str, expr: &str) -> Result<()> {
    for _ in 0..3 {
        open(page, sample, rel)?;
        let holds =
            format!("(() => {{ try {{ return !!({expr}); }} catch (e) {{ return false; }} }})()");
        if page.eval_bool(&holds)? {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    Ok(())
}

pub fn a_studied_page_counts_on_the_section_home_and_record(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &sample, REGULATION)?;
    let state = text_of(&mut page, "[data-study-state]")?;
    ensure(
        state.contains("学完了") && !state.contains("已于"),
        || format!("before marking: {state}"),
    )?;
    page.eval("document.querySelector('[data-study-toggle]').click()")?;
    let state = text_of(&mut page, "[data-study-state]")?;
    // 已于 2026年12月6日 学完: today, as the site writes dates.
    let today = page
        .eval("(t => `${t.getFullYear()}年${t.getMonth() + 1}月${t.getDate()}日`)(new Date())")?;
    ensure(
        state == format!("已于 {} 学完", today.as_str().unwrap_or("?")),
        || format!("after marking: {state}"),
    )?;
    settle();

    open_until(
        &mut page,
        &sample,
        "regulations/index.html",
        "!document.querySelector('.section-header [data-study-count]').textContent.startsWith('已学 0/')",
    )?;
    let progress = text_of(&mut page, ".section-header [data-study-count]")?;
    ensure(progress == "已学 1/2 篇", || {
        format!("section: {progress}")
    })?;
    let studied = page.eval(
        "Array.from(document.querySelectorAll('.page-item.is-studied'), li => li.querySelector('h3').textContent)",
    )?;
    ensure(
        studied.as_array().is_some_and(|a| a.len() == 1)
            && studied[0]
                .as_str()
                .unwrap_or("")
                .contains("示例基层党支部工作规定"),
        || format!("marked in the list: {studied}"),
    )?;

    open_until(
        &mut page,
        &sample,
        "index.html",
        "!/已学 0\\//.test(document.querySelector('[data-study-summary] [data-study-count]').textContent)",
    )?;
    let site = text_of(&mut page, "[data-study-summary] [data-study-count]")?;
    ensure(site.starts_with("已学 1/"), || format!("home: {site}"))?;
    let card = page.eval(
        "Array.from(document.querySelectorAll('.section-card')).find(c => c.textContent.includes('制度规定')).querySelector('[data-study-count]').textContent",
    )?;
    ensure(card == "已学 1/2 篇", || format!("home card: {card}"))?;

    open_until(
        &mut page,
        &sample,
        "study-record/index.html",
        "!!document.querySelector('[data-study-pages] li')",
    )?;
    let listed = text_of(&mut page, "[data-study-pages]")?;
    ensure(listed.contains("示例基层党支部工作规定"), || {
        format!("record: {listed}")
    })?;
    let none_hidden = page.eval_bool("document.querySelector('[data-study-none]').hidden")?;
    ensure(none_hidden, || {
        "the record still says nothing was studied".into()
    })?;
    let row = page.eval(
        "document.querySelector('tr[data-study-progress=\"regulations/\"] [data-study-count]').textContent",
    )?;
    ensure(row == "已学 1/2 篇", || format!("record row: {row}"))?;

    // Taken back on the page, it is gone everywhere.
    open(&mut page, &sample, REGULATION)?;
    page.eval("document.querySelector('[data-study-toggle]').click()")?;
    settle();
    open_until(
        &mut page,
        &sample,
        "regulations/index.html",
        "document.querySelector('.section-header [data-study-count]').textContent.startsWith('已学 0/')",
    )?;
    let progress = text_of(&mut page, ".section-header [data-study-count]")?;
    ensure(progress == "已学 0/2 篇", || {
        format!("after unmarking: {progress}")
    })
}

pub fn reading_to_the_end_marks_a_page(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    open(&mut page, &sample, REGULATION)?;
    let marked = "document.querySelector('[data-study-page]').classList.contains('is-studied')";
    // Opening the page is not reading it.
    page.eval("new Promise(r => setTimeout(r, 300))")?;
    ensure(!page.eval_bool(marked)?, || {
        "marked before any reading".into()
    })?;
    // Halfway is not the end.
    page.eval("window.scrollTo(0, document.body.scrollHeight / 2)")?;
    page.eval("new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")?;
    ensure(!page.eval_bool(marked)?, || "marked halfway down".into())?;
    // A jump to the end (the End key) passes the mark between two frames.
    page.eval("window.scrollTo(0, document.body.scrollHeight)")?;
    wait_until(
        &mut page,
        marked,
        "reaching the end to mark the page",
        std::time::Duration::from_secs(5),
    )
}

/// A quiz record as quiz.js keeps it, written straight into storage: the
/// record and wrong-answer pages read what any quiz left.
const SEED: &str = "localStorage.setItem('zhiku:zhiku-sample:quiz:quizzes/sanhui-yike:0', JSON.stringify({ \
     v: 1, page: 'quizzes/sanhui-yike/', title: '“三会一课”频次自测', at: '2026-12-01T09:00:00Z', \
     score: 5, total: 7, answers: {}, wrong: { aaaa1111: '按照示例规定，支部委员会一般多久召开一次会议？', bbbb2222: '党课每＿＿至少安排一次' } }))";

/// The study record's score for the sample's 三会一课 quiz, once the
/// record shows a date for some quiz (it has read a quiz record).
fn sanhui_score(page: &mut Page<'_>, sample: &std::path::Path) -> Result<String> {
    open_until(
        page,
        sample,
        "study-record/index.html",
        "document.querySelector('[data-study-date]').textContent !== ''",
    )?;
    text_of(
        page,
        "tr[data-study-quiz=\"quizzes/sanhui-yike/\"] [data-study-score]",
    )
}

pub fn the_record_and_the_wrong_answers_read_the_quizzes(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &sample, "study-record/index.html")?;
    page.eval(SEED)?;
    settle();
    let score = sanhui_score(&mut page, &sample)?;
    ensure(score == "答对 5/7", || format!("score: {score}"))?;
    let other = text_of(
        &mut page,
        "tr[data-study-quiz=\"quizzes/zuzhi-shenghuohui/\"] [data-study-score]",
    )?;
    ensure(other == "未做", || format!("untaken quiz: {other}"))?;
    let privacy = text_of(&mut page, ".study-privacy")?;
    ensure(privacy.contains("不会发送到任何地方"), || {
        privacy.clone()
    })?;

    open(&mut page, &sample, "study-record/wrong/index.html")?;
    let links = page.eval(
        "Array.from(document.querySelectorAll('.study-wrong-q'), a => a.getAttribute('href'))",
    )?;
    ensure(
        links
            == serde_json::json!([
                "../../quizzes/sanhui-yike/index.html#q-aaaa1111",
                "../../quizzes/sanhui-yike/index.html#q-bbbb2222"
            ]),
        || format!("links back: {links}"),
    )?;
    page.eval("document.querySelector('.study-wrong-remove').click()")?;
    let left = page.eval("document.querySelectorAll('.study-wrong-q').length")?;
    ensure(left == 1, || format!("after removing one: {left}"))?;
    settle();
    open_until(
        &mut page,
        &sample,
        "study-record/wrong/index.html",
        "document.querySelectorAll('.study-wrong-q').length > 0",
    )?;
    let left = page.eval("document.querySelectorAll('.study-wrong-q').length")?;
    let kept = page.eval("JSON.stringify(Object.assign({}, localStorage))")?;
    ensure(left == 1, || {
        format!("removal not kept: {left}; storage {kept}")
    })?;
    // Clearing asks first, then empties the page.
    page.eval(
        "window.confirm = () => true; document.querySelector('[data-study-wrong-clear]').click()",
    )?;
    let empty = page.eval_bool("!document.querySelector('.study-wrong-q') && !document.querySelector('[data-study-none]').hidden")?;
    ensure(empty, || "clearing left questions".into())?;
    // The study record still has the score: the answers were kept.
    settle();
    let score = sanhui_score(&mut page, &sample)?;
    ensure(score == "答对 5/7", || {
        format!("score after clearing: {score}")
    })
}

pub fn the_record_prints_without_its_buttons(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &sample, "study-record/index.html")?;
    page.eval("document.querySelector('[data-study-name]').value = '张三'")?;
    page.emulate_media("print")?;
    let shown = page.eval(
        "['.study-actions', '.site-header', '.study-privacy', '[data-study-name]'].map(s => getComputedStyle(document.querySelector(s)).display !== 'none')",
    )?;
    ensure(
        shown == serde_json::json!([false, false, true, true]),
        || format!("printed (actions, header, privacy, name): {shown}"),
    )
}

pub fn without_storage_pages_say_progress_is_not_kept(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };\
         Storage.prototype.getItem = function () { throw new DOMException('blocked', 'SecurityError'); };",
    )?;
    open(&mut page, &sample, REGULATION)?;
    let state = text_of(&mut page, "[data-study-state]")?;
    ensure(state.contains("无法保存"), || format!("page: {state}"))?;
    page.eval("document.querySelector('[data-study-toggle]').click()")?;
    let state = text_of(&mut page, "[data-study-state]")?;
    ensure(state.contains("无法保存"), || {
        format!("after the button: {state}")
    })?;
    open(&mut page, &sample, "study-record/index.html")?;
    let hidden = page.eval_bool("document.querySelector('[data-study-warning]').hidden")?;
    ensure(!hidden, || {
        "the record does not say it cannot keep anything".into()
    })?;
    open(&mut page, &sample, "index.html")?;
    // No progress is better than a false 0.
    let shown = page.eval_bool("!document.querySelector('[data-study-progress]').hidden")?;
    ensure(!shown, || "progress shown without storage".into())
}

/// The whole round, through the quiz script: a sample quiz answered with
/// one wrong choice, then the record's score and the wrong answer with its
/// way back, after closing the page.
pub fn a_wrong_answer_reaches_the_record_and_leads_back(ctx: &mut Ctx) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    let quiz = "quizzes/sanhui-yike/index.html";
    open(&mut page, &sample, quiz)?;
    wait_until(
        &mut page,
        "document.querySelector('[data-quiz-submit]')",
        "the quiz script",
        std::time::Duration::from_secs(5),
    )?;
    let first = page.eval(
        "(q => { q.querySelector('.quiz-option input').click(); return [q.id, q.querySelector('.quiz-stem').textContent.trim()]; })(document.querySelector('.quiz-q'))",
    )?;
    let (id, stem) = (
        first[0].as_str().unwrap_or_default().to_string(),
        first[1].as_str().unwrap_or_default().to_string(),
    );
    page.eval("document.querySelector('[data-quiz-submit]').click()")?;
    settle();

    open_until(
        &mut page,
        &sample,
        "study-record/wrong/index.html",
        "!!document.querySelector('.study-wrong-q')",
    )?;
    let wrong = page.eval(
        "Array.from(document.querySelectorAll('.study-wrong-q'), a => [a.getAttribute('href'), a.textContent])",
    )?;
    let back = format!("../../quizzes/sanhui-yike/index.html#{id}");
    let listed = wrong
        .as_array()
        .into_iter()
        .flatten()
        .find(|w| w[0] == back.as_str());
    ensure(
        listed.is_some_and(|w| stem.contains(w[1].as_str().unwrap_or("?"))),
        || format!("{stem} ({back}) is not among the wrong answers: {wrong}"),
    )?;
    let score = sanhui_score(&mut page, &sample)?;
    ensure(score == "答对 0/7", || {
        format!("the record's score: {score}")
    })?;
    // The link leads to the question.
    open(&mut page, &sample, "study-record/wrong/index.html")?;
    page.eval(&format!(
        "Array.from(document.querySelectorAll('.study-wrong-q')).find(a => a.getAttribute('href') === {}).click()",
        Value::from(back.as_str())
    ))?;
    wait_until(
        &mut page,
        &format!("location.hash === '#{id}' && document.getElementById('{id}')"),
        "the question the link leads to",
        std::time::Duration::from_secs(5),
    )
}

/// In each engine (`engines.rs`): 学完了 on a page shows, after a reload,
/// on the page, its section and the study record.
pub fn engines_a_studied_page_shows_everywhere(
    e: &mut dyn crate::engines::Engine,
    c: &crate::engines::Copies,
) -> Result<()> {
    use crate::engines::{errors, open, url, wait};
    let tab = e.tab();
    let page = url(&c.sample, REGULATION);
    open(tab, &page)?;
    tab.eval("localStorage.clear()")?;
    open(tab, &page)?;
    wait(
        tab,
        "document.querySelector('[data-study-toggle]')",
        "the 学完了 button",
        5,
    )?;
    tab.eval("document.querySelector('[data-study-toggle]').click()")?;
    tab.eval("new Promise(r => setTimeout(r, 500))")?;
    open(tab, &page)?;
    wait(
        tab,
        "document.querySelector('[data-study-state]').textContent.startsWith('已于')",
        "the mark after a reload",
        3,
    )?;
    open(tab, &url(&c.sample, "regulations/index.html"))?;
    wait(
        tab,
        "document.querySelector('.section-header [data-study-count]').textContent === '已学 1/2 篇'",
        "the section's progress",
        3,
    )?;
    open(tab, &url(&c.sample, "study-record/index.html"))?;
    wait(
        tab,
        "document.querySelector('[data-study-pages]').textContent.includes('示例基层党支部工作规定')",
        "the study record",
        3,
    )?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{found:#?}"))?;
    tab.eval("localStorage.clear()").map(|_| ())
}
