//! The single-file edition (issue 8) as a member gets it: one HTML file
//! opened from disk on a phone-sized screen, with no other file beside it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::sites::ensure;

/// `zhiku pack --single-file` of this repository's sample site, alone in
/// a folder of its own (so nothing beside it could be loaded by mistake).
fn single_file() -> (tempfile::TempDir, PathBuf) {
    single_file_of(None)
}

/// [`single_file`], of one section when `section` is given.
fn single_file_of(section: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("学习资料.html");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .env("ZHIKU_LANG", "en")
        .arg("pack")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--single-file")
        .args(section)
        .arg("-o")
        .arg(&file)
        .output()
        .expect("zhiku pack");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, file)
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn wait_for(page: &mut Page<'_>, expr: &str, what: &str) -> Result<()> {
    crate::sites::wait_until(page, expr, what, Duration::from_secs(10))
}

/// Whether the element is at the top of the viewport.
const AT_TOP: &str =
    "(el => { const r = el.getBoundingClientRect(); return r.top > -5 && r.top < 80; })";

pub fn the_single_file_works_offline_on_a_phone(ctx: &mut Ctx) -> Result<()> {
    let (_dir, file) = single_file();
    let size = std::fs::metadata(&file).unwrap().len();
    ensure(size < 2_000_000, || {
        format!("the single file is {size} bytes")
    })?;
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    page.goto(&file_url(&file))?;
    wait_for(
        &mut page,
        "document.readyState === 'complete'",
        "the file to load",
    )?;
    // Nothing outside the file: every reference is in-file or data.
    let outside = page.eval(
        "Array.from(document.querySelectorAll('[src], link[href], a[href]'), e => e.getAttribute('src') || e.getAttribute('href'))\
         .filter(u => !u.startsWith('#') && !u.startsWith('data:'))",
    )?;
    ensure(outside.as_array().is_some_and(Vec::is_empty), || {
        format!("references outside the file: {outside}")
    })?;
    ensure(
        page.eval_bool("document.documentElement.scrollWidth <= 361")?,
        || "the file is wider than a 360 px phone".into(),
    )?;

    // A cross reference from a case to a regulation's article lands on the
    // article inside that regulation.
    let link = page.eval(
        "(() => { const a = Array.from(document.querySelectorAll('article.kind-case .content a'))\
           .find(a => /^#p-.*#.+/.test(a.getAttribute('href'))); return a ? a.getAttribute('href') : null; })()",
    )?;
    let href = link
        .as_str()
        .ok_or("no in-file cross reference from a case to an article")?
        .to_string();
    page.eval(&format!(
        "document.querySelector('a[href=\"{href}\"]').click()"
    ))?;
    let (anchor, fragment) = href
        .trim_start_matches('#')
        .split_once('#')
        .unwrap_or_default();
    let target = format!(
        "Array.from(document.getElementById({}).querySelectorAll('[id]')).find(e => e.id === decodeURIComponent({}))",
        json!(anchor),
        json!(fragment)
    );
    wait_for(
        &mut page,
        &format!("{AT_TOP}({target})"),
        &format!("the article {fragment} of {anchor} at the top"),
    )?;

    // A checklist tick survives a reload.
    let item = page.eval(
        "(() => { const i = document.querySelector('[data-checklist] input[data-item]:not(:checked)'); \
           i.click(); return i.getAttribute('data-item'); })()",
    )?;
    let item = item.as_str().ok_or("no checklist item")?.to_string();
    page.goto(&file_url(&file))?;
    wait_for(
        &mut page,
        "document.readyState === 'complete'",
        "the reload",
    )?;
    wait_for(
        &mut page,
        &format!("document.querySelector('input[data-item=\"{item}\"]').checked"),
        "the tick to be there after a reload",
    )?;

    // Search finds an article's phrase and lands on it.
    page.eval("document.getElementById('search-box').focus()")?;
    page.call(
        "Input.insertText",
        json!({ "text": "一月底前制定全年工作计划" }),
    )?;
    wait_for(
        &mut page,
        "document.querySelector('#search-results a')",
        "search results",
    )?;
    let first = page.eval(
        "decodeURIComponent(document.querySelector('#search-results a').getAttribute('href'))",
    )?;
    let first = first.as_str().unwrap_or_default().to_string();
    ensure(
        first.ends_with("#第十五条") && first.starts_with("#p-"),
        || format!("the first result should be an in-file 第十五条: {first}"),
    )?;
    // The file has no search page to show "all results" on.
    ensure(
        page.eval_bool("document.querySelector('.search-more').hidden")?,
        || "the box links to a search page the single file does not have".into(),
    )?;
    page.eval("document.querySelector('#search-results a').click()")?;
    wait_for(
        &mut page,
        &format!(
            "{AT_TOP}(Array.from(document.querySelectorAll('[id]')).find(e => e.id === '第十五条' && e.closest('#' + CSS.escape({}))))",
            json!(
                first
                    .trim_start_matches('#')
                    .split('#')
                    .next()
                    .unwrap_or_default()
            )
        ),
        "the result's article at the top",
    )?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("console: {problems:?}"))
}

/// The sample case on members who work away cites 第二十条之一 of the
/// sample regulation, which the cases' file does not hold (issue 16).
const OUTSIDE_ARTICLE: &str = "第二十条之一";
/// Words of that article's text.
const OUTSIDE_TEXT: &str = "视频会议等线上方式";

/// Scrolls the first link in a case's text that names `label` to the
/// middle of the screen, taps it, and returns its `href`.
fn tap_link(page: &mut Page<'_>, label: &str) -> Result<String> {
    let found = page.eval(&format!(
        "(() => {{ const a = Array.from(document.querySelectorAll('article.kind-case .content a'))\
           .find(a => a.textContent.includes({label})); if (!a) return null;\
           a.scrollIntoView({{ block: 'center' }}); const r = a.getBoundingClientRect();\
           return [a.getAttribute('href'), r.left + Math.min(r.width, 20) / 2, r.top + r.height / 2]; }})()",
        label = json!(label)
    ))?;
    let [href, x, y] = found
        .as_array()
        .and_then(|v| <&[_; 3]>::try_from(v.as_slice()).ok())
        .ok_or_else(|| format!("no link to {label} in a case's text"))?;
    page.tap(x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0))?;
    Ok(href.as_str().unwrap_or_default().to_string())
}

/// Whether `el` is on screen, with some size, and shows `text`.
fn shows(el: &str, text: &str) -> String {
    format!(
        "(el => {{ if (!el) return false; const r = el.getBoundingClientRect();\
           return r.height > 0 && r.top >= 0 && r.top < innerHeight && r.right <= innerWidth + 1\
             && el.innerText.includes({}); }})({el})",
        json!(text)
    )
}

pub fn a_sections_file_shows_an_outside_article_where_it_is_tapped(ctx: &mut Ctx) -> Result<()> {
    let (_dir, file) = single_file_of(Some("cases"));
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    page.goto(&file_url(&file))?;
    wait_for(
        &mut page,
        "document.readyState === 'complete'",
        "the file to load",
    )?;
    // Tapped, the article's text shows under the link.
    let href = tap_link(&mut page, OUTSIDE_ARTICLE)?;
    let pop = "document.querySelector('.outside-pop')";
    wait_for(
        &mut page,
        &shows(pop, OUTSIDE_TEXT),
        "the cited article's text on screen",
    )?;
    ensure(page.eval_bool(&shows(pop, "全文见完整版"))?, || {
        "the note does not say where the rest is".into()
    })?;
    ensure(href.starts_with("#x-"), || format!("the link is {href}"))?;
    // 收起 hides it again.
    page.eval("document.querySelector('.outside-pop .outside-close').click()")?;
    wait_for(
        &mut page,
        "!document.querySelector('.outside-pop')",
        "the note to close",
    )?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("console: {problems:?}"))?;
    drop(page);

    // Without scripts, the link leads to the article's note at the end.
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    page.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )?;
    page.goto(&file_url(&file))?;
    tap_link(&mut page, OUTSIDE_ARTICLE)?;
    let note = format!(
        "document.getElementById(decodeURIComponent({}))",
        json!(href.trim_start_matches('#'))
    );
    wait_for(
        &mut page,
        &format!("{AT_TOP}({note}) && {}", shows(&note, OUTSIDE_TEXT)),
        "the note at the end, at the top of the screen",
    )?;
    ensure(
        page.eval_bool(&format!("{note}.innerText.includes('全文见完整版')"))?,
        || "the note does not say where the rest is".into(),
    )?;
    ensure(
        page.eval_bool("document.documentElement.scrollWidth <= 361")?,
        || "the file is wider than a 360 px phone".into(),
    )?;
    Ok(())
}

/// The first question of the sample's 三会一课 quiz in the single file.
const SANHUI_Q: &str = "document.querySelector('[data-study-page=\"quizzes/sanhui-yike/\"]').closest('article').querySelector('.quiz-q')";

/// 学完了 in the single file: each page has its button, the contents list
/// and the file's own study record follow it, links stay inside the file,
/// and scrolling through the file marks nothing by itself.
pub fn the_single_file_keeps_study_progress(ctx: &mut Ctx) -> Result<()> {
    let (_dir, file) = single_file();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    page.goto(&file_url(&file))?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))?;
    let regulation = "[data-study-page=\"regulations/zhibu-gongzuo-guiding/\"]";
    let buttons =
        page.eval("document.querySelectorAll('[data-study-page] [data-study-toggle]').length")?;
    let toc = page.eval("document.querySelectorAll('.single-toc [data-study-item]').length")?;
    ensure(buttons.as_u64() >= Some(20) && buttons == toc, || {
        format!("{buttons} 学完了 buttons for {toc} pages in the contents")
    })?;
    // Scrolling through the whole file is not reading every page.
    page.eval("window.scrollTo(0, document.body.scrollHeight)")?;
    page.eval("new Promise(r => requestAnimationFrame(() => setTimeout(r, 200)))")?;
    let marked = page.eval("document.querySelectorAll('[data-study-page].is-studied').length")?;
    ensure(marked == 0, || {
        format!("{marked} pages marked by scrolling")
    })?;
    page.eval(&format!(
        "document.querySelector('{}').querySelector('[data-study-toggle]').click()",
        regulation.replace('\'', "\\'")
    ))?;
    let record = |page: &mut Page<'_>| {
        page.eval(
            "Array.from(document.querySelectorAll('#study [data-study-pages] a'), a => [a.getAttribute('href'), a.textContent])",
        )
    };
    let listed = record(&mut page)?;
    ensure(
        listed.as_array().is_some_and(|l| l.len() == 1)
            && listed[0][0].as_str().is_some_and(|h| h.starts_with("#p-"))
            && listed[0][1] == "示例基层党支部工作规定",
        || format!("the file's study record: {listed}"),
    )?;
    let badge = page.eval(
        "document.querySelector('.single-toc [data-study-item=\"regulations/zhibu-gongzuo-guiding/\"]').classList.contains('is-studied')",
    )?;
    ensure(badge == true, || {
        "the contents list does not show it".into()
    })?;
    // Kept: after a reload the mark, the list and the record are there.
    std::thread::sleep(Duration::from_millis(1200));
    page.goto(&file_url(&file))?;
    let listed = record(&mut page)?;
    ensure(listed.as_array().is_some_and(|l| l.len() == 1), || {
        format!("after a reload: {listed}")
    })?;
    // A wrong answer links to its question inside the file.
    page.eval(&format!(
        "localStorage.setItem('zhiku:zhiku-sample:quiz:quizzes/sanhui-yike:0', JSON.stringify({{ v: 1, \
         page: 'quizzes/sanhui-yike/', title: '“三会一课”频次自测', at: '2026-12-01T09:00:00Z', score: 0, total: 7, \
         answers: {{}}, wrong: {{ [{SANHUI_Q}.getAttribute('data-q')]: '题' }} }}))"
    ))?;
    page.eval("location.hash = '#study'")?;
    wait_for(
        &mut page,
        "document.querySelector('#study .study-wrong-q')",
        "the wrong answer",
    )?;
    let href = page.eval("document.querySelector('#study .study-wrong-q').getAttribute('href')")?;
    ensure(
        href.as_str()
            .is_some_and(|h| h.starts_with("#p-") && h.contains("#q-")),
        || format!("the wrong answer's link: {href}"),
    )?;
    page.eval("document.querySelector('#study .study-wrong-q').click()")?;
    wait_for(
        &mut page,
        &format!("{AT_TOP}({SANHUI_Q})"),
        "the question at the top of the screen",
    )?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}
