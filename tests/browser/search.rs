//! Search as a member uses it: from disk and over http, by typing in the
//! header box, by keyboard, in Traditional or Simplified characters, and on
//! the full search page; hostile titles stay text; a site without search
//! shows no box.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::shots;
use crate::sites::{Server, WIDTHS, axe_source, ensure, file_url, small_site};

fn js(v: &str) -> String {
    Value::from(v).to_string()
}

/// Polls `expr` until it is truthy (5 s at most). Errors while a new
/// document loads count as "not yet".
pub(crate) fn wait_for(page: &mut Page<'_>, expr: &str, what: &str) -> Result<()> {
    crate::sites::wait_until(page, expr, what, Duration::from_secs(5))
}

pub(crate) fn open(page: &mut Page<'_>, url: &str) -> Result<()> {
    page.goto(url)?;
    let problems: Vec<String> = page
        .problems()
        .into_iter()
        .filter(|p| !p.starts_with("request to another host: http://127.0.0.1:"))
        .collect();
    ensure(problems.is_empty(), || format!("{url}: {problems:#?}"))
}

/// Focuses the header box (which loads search.js) and waits for the
/// runtime and its index to be ready.
pub(crate) fn start_search(page: &mut Page<'_>) -> Result<()> {
    ensure(
        page.eval_bool(
            "!document.querySelector('script[src$=\"assets/search.js\"]') && !window.zhikuSearch",
        )?,
        || "search.js loaded before the search box was used".into(),
    )?;
    page.eval("document.getElementById('search-box').focus()")?;
    wait_for(page, "window.zhikuSearch", "search.js to load")?;
    page.eval("zhikuSearch.ready().then(() => true)")?;
    Ok(())
}

/// Types `text` into the focused element as an input method commits it.
fn type_text(page: &mut Page<'_>, text: &str) -> Result<()> {
    page.call("Input.insertText", json!({ "text": text }))?;
    Ok(())
}

/// Replaces the header box's text with `query` and waits for results.
pub(crate) fn query(page: &mut Page<'_>, query: &str) -> Result<()> {
    page.eval("(b => { b.focus(); b.select(); })(document.getElementById('search-box'))")?;
    type_text(page, query)?;
    let done = format!(
        "document.getElementById('search-panel') && document.getElementById('search-panel').dataset.query === {q} \
         && !document.getElementById('search-panel').hidden",
        q = js(query)
    );
    wait_for(page, &done, &format!("results for {query}"))
}

/// The decoded hrefs of the results, in order.
pub(crate) fn result_links(page: &mut Page<'_>) -> Result<Vec<String>> {
    let v = page.eval(
        "Array.from(document.querySelectorAll('#search-results a'), a => decodeURIComponent(a.href))",
    )?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect())
}

/// Searches `q` in the header box; the first result must end with `want`.
pub(crate) fn first_is(page: &mut Page<'_>, q: &str, want: &str) -> Result<()> {
    query(page, q)?;
    let links = result_links(page)?;
    ensure(links.first().is_some_and(|l| l.ends_with(want)), || {
        format!("{q}: the first result should end with {want}: {links:#?}")
    })
}

/// Searches a phrase of the sample regulation's 第十五条: it must be the
/// first result.
fn finds_article_15(page: &mut Page<'_>) -> Result<()> {
    query(page, "一月底前制定全年工作计划")?;
    let links = result_links(page)?;
    let want = format!("{REGULATION}#第十五条");
    ensure(links.first().is_some_and(|l| l.ends_with(&want)), || {
        format!("first result should end with {want}: {links:#?}")
    })
}

pub(crate) const REGULATION: &str = "regulations/zhibu-gongzuo-guiding/index.html";
pub(crate) const TRADITIONAL: &str = "regulations/jiceng-dangzhibu-guize/index.html";

pub fn normaliser_agrees_with_the_shared_vectors(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/vectors.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let list = vectors["vectors"].clone();
    ensure(list.as_array().is_some_and(|l| l.len() >= 10), || {
        "too few vectors".into()
    })?;
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    // (Before any other query, whose pairs could hide a missing one.)
    // A query loads the fold pairs of what its characters fold to as well:
    // 為 and 爲 are both 为 (their pairs are in different files), so a query
    // typed 為 folds a text's 爲 too.
    let folded = page.eval("zhikuSearch.prepare('為').then(() => zhikuSearch.normalize('爲'))")?;
    ensure(folded == "为", || {
        format!("a text's 爲 is not folded for the query 為: {folded}")
    })?;
    // Each input with the fold pairs a query of it would load, as search does.
    page.eval(&format!(
        "Promise.all({list}.map(v => zhikuSearch.prepare(v.input))).then(() => true)"
    ))?;
    let mismatches = page.eval(&format!(
        "{list}.map(v => {{ const t = zhikuSearch.tokens(v.input), q = zhikuSearch.queryTokens(v.input); \
         return JSON.stringify(t) === JSON.stringify(v.tokens) && JSON.stringify(q) === JSON.stringify(v.query) \
         ? null : v.input + ': tokens ' + JSON.stringify(t) + ' query ' + JSON.stringify(q); }}).filter(x => x)"
    ))?;
    let mismatches = mismatches.as_array().cloned().unwrap_or_default();
    ensure(mismatches.is_empty(), || {
        format!("JS normaliser disagrees with tests/search/vectors.json:\n{mismatches:#?}")
    })?;
    // The query parser: the sample site's synonyms are the vectors' own.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/queries.json");
    let queries: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let list = queries["vectors"].clone();
    ensure(list.as_array().is_some_and(|l| l.len() >= 30), || {
        "too few query vectors".into()
    })?;
    page.eval(&format!(
        "Promise.all({list}.map(v => zhikuSearch.prepare(v.input))).then(() => true)"
    ))?;
    let mismatches = page.eval(&format!(
        "{list}.map(v => {{ const t = zhikuSearch.parse(v.input); \
         return JSON.stringify(t) === JSON.stringify(v.terms) ? null : v.input + ': ' + JSON.stringify(t); }}).filter(x => x)"
    ))?;
    let mismatches = mismatches.as_array().cloned().unwrap_or_default();
    ensure(mismatches.is_empty(), || {
        format!("JS query parser disagrees with tests/search/queries.json:\n{mismatches:#?}")
    })
}

pub fn typing_finds_the_article(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    finds_article_15(&mut page)?;
    let shown = page.eval("document.querySelector('#search-results a').textContent")?;
    let shown = shown.as_str().unwrap_or_default();
    ensure(
        shown.contains("示例基层党支部工作规定")
            && shown.contains("条例")
            && shown.contains("第十五条"),
        || format!("result should show title, kind and article: {shown}"),
    )?;
    let marked = page.eval(
        "Array.from(document.querySelectorAll('#search-results a')[0].querySelectorAll('.search-option-snippet mark'), m => m.textContent).join('')",
    )?;
    ensure(
        marked
            .as_str()
            .is_some_and(|m| m.contains("一月底前制定全年工作计划")),
        || format!("the phrase is not highlighted: {marked}"),
    )?;
    // Clicking it lands on the article.
    page.eval("document.querySelector('#search-results a').click()")?;
    wait_for(
        &mut page,
        &format!(
            "decodeURIComponent(location.pathname).endsWith({}) && document.readyState === 'complete'",
            js(REGULATION)
        ),
        "the regulation to open",
    )?;
    ensure(
        page.eval("decodeURIComponent(location.hash)")? == "#第十五条",
        || format!("landed on {:?}", page.eval("location.href")),
    )?;
    ensure(
        page.eval_bool(
            "document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null",
        )?,
        || "no element with the article's id".into(),
    )
}

/// An input method's commit is searched at once (members type Chinese
/// through one: waiting for a pause after a committed word only delays
/// the answer); the pinyin shown while composing is not searched, and
/// Firefox's input event after the commit does not search again. The
/// box's timers are recorded to see which delay each search waited for.
pub fn an_input_method_commit_searches_at_once(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    page.eval(
        "window.__delays = []; const plain = window.setTimeout;
         window.setTimeout = function (f, d) {
           if (typeof f === 'function' && /runBox/.test(String(f))) window.__delays.push(d);
           return plain.apply(window, arguments);
         }; document.getElementById('search-box').focus(); true",
    )?;
    let delays = |page: &mut Page<'_>| page.eval("window.__delays.join(',')");
    page.call(
        "Input.imeSetComposition",
        json!({ "text": "dangyuan", "selectionStart": 8, "selectionEnd": 8 }),
    )?;
    ensure(delays(&mut page)? == "", || {
        "the pinyin being composed was searched".into()
    })?;
    type_text(&mut page, "党员")?;
    wait_for(
        &mut page,
        "document.getElementById('search-panel') && document.getElementById('search-panel').dataset.query === '党员'",
        "results for the committed 党员",
    )?;
    ensure(delays(&mut page)? == "0", || {
        format!("the commit waited: {:?}", delays(&mut page))
    })?;
    // Firefox's order: compositionend, then an input event of the same value.
    page.eval(
        "(b => { b.value = '党费'; b.dispatchEvent(new CompositionEvent('compositionend', { data: '党费' }));
                 b.dispatchEvent(new InputEvent('input', { isComposing: false })); })(document.getElementById('search-box')); true",
    )?;
    // Plain typing (Latin letters, a deletion) waits for a pause.
    page.eval(
        "(b => { b.value = '党费a'; b.dispatchEvent(new InputEvent('input', { isComposing: false })); })(document.getElementById('search-box')); true",
    )?;
    let got = delays(&mut page)?;
    ensure(got == "0,0,100", || {
        format!("timers of commit, Firefox's commit and typing: {got}")
    })
}

pub fn traditional_and_simplified_find_each_other(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "cases/index.html"))?;
    start_search(&mut page)?;
    // 黨員 finds pages written with 党员.
    query(&mut page, "黨員")?;
    let titles = page.eval(
        "Array.from(document.querySelectorAll('#search-results .search-option-title'), t => t.textContent)",
    )?;
    ensure(
        titles
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t.as_str().unwrap_or("").contains("党员"))),
        || format!("黨員 found no page titled with 党员: {titles}"),
    )?;
    // 组织生活会 finds the regulation written 組織生活會.
    query(&mut page, "组织生活会")?;
    let links = result_links(&mut page)?;
    ensure(links.iter().any(|l| l.contains(TRADITIONAL)), || {
        format!("组织生活会 did not find {TRADITIONAL}: {links:#?}")
    })?;
    // A phrase of its 第十條, typed in Simplified and in Traditional.
    for q in ["征求党员和群众意见", "徵求黨員和群眾意見"] {
        query(&mut page, q)?;
        let links = result_links(&mut page)?;
        let want = format!("{TRADITIONAL}#第十条");
        ensure(links.iter().any(|l| l.ends_with(&want)), || {
            format!("{q} did not find {want}: {links:#?}")
        })?;
        let marked = page.eval(&format!(
            "Array.from(document.querySelectorAll('#search-results a'), a => a).find(a => decodeURIComponent(a.href).endsWith({})) \
             .querySelector('.search-option-snippet mark').textContent",
            js(&want)
        ))?;
        ensure(marked == "徵求黨員和群眾意見", || {
            format!("{q}: the Traditional text is not what is highlighted: {marked}")
        })?;
    }
    Ok(())
}

pub fn keyboard_opens_moves_and_closes(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "cases/index.html"))?;
    ensure(
        page.eval_bool("!window.zhikuSearch && document.activeElement !== document.getElementById('search-box')")?,
        || "search loaded or focused before use".into(),
    )?;
    page.press_key("/", "Slash", 191)?;
    ensure(
        page.eval_bool("document.activeElement === document.getElementById('search-box')")?,
        || "`/` did not focus the search box".into(),
    )?;
    ensure(
        page.eval("document.getElementById('search-box').value")? == "",
        || "`/` was typed into the box".into(),
    )?;
    wait_for(&mut page, "window.zhikuSearch", "search.js to load")?;
    // Pinyin being composed in an input method is not searched; what it
    // commits is.
    page.call(
        "Input.imeSetComposition",
        json!({ "text": "dangke", "selectionStart": 6, "selectionEnd": 6 }),
    )?;
    page.eval("new Promise(r => setTimeout(r, 250))")?;
    ensure(
        page.eval_bool("!document.getElementById('search-panel') || document.getElementById('search-panel').dataset.query === undefined")?,
        || "the pinyin being composed was searched".into(),
    )?;
    type_text(&mut page, "党课")?;
    wait_for(
        &mut page,
        "document.getElementById('search-panel').dataset.query === '党课' && document.querySelector('#search-results a')",
        "results for the committed 党课",
    )?;
    let panel_open = "!document.getElementById('search-panel').hidden && document.getElementById('search-box').getAttribute('aria-expanded') === 'true'";
    ensure(page.eval_bool(panel_open)?, || "panel not open".into())?;
    page.press_key("ArrowDown", "ArrowDown", 40)?;
    page.press_key("ArrowDown", "ArrowDown", 40)?;
    page.press_key("ArrowUp", "ArrowUp", 38)?;
    let selected = page.eval(
        "(() => { const b = document.getElementById('search-box'), id = b.getAttribute('aria-activedescendant'), o = id && document.getElementById(id); \
         return o && o.getAttribute('aria-selected') === 'true' && o === document.querySelector('#search-results a') ? decodeURIComponent(o.href) : null; })()",
    )?;
    let Some(target) = selected.as_str().map(str::to_string) else {
        return Err(format!(
            "Down, Down, Up did not select the first result ({:?})",
            page.eval(
                "document.getElementById('search-box').getAttribute('aria-activedescendant')"
            )
        ));
    };
    page.press_key("Escape", "Escape", 27)?;
    ensure(!page.eval_bool(panel_open)?, || {
        "Escape did not close the panel".into()
    })?;
    ensure(
        page.eval_bool("document.activeElement === document.getElementById('search-box') && document.getElementById('search-box').value === '党课'")?,
        || "after Escape, focus or text left the box".into(),
    )?;
    page.press_key("ArrowDown", "ArrowDown", 40)?;
    wait_for(&mut page, panel_open, "ArrowDown to reopen the panel")?;
    page.press_key("ArrowDown", "ArrowDown", 40)?;
    page.press_key("Enter", "Enter", 13)?;
    wait_for(
        &mut page,
        &format!(
            "decodeURIComponent(location.href) === {} && document.readyState === 'complete'",
            js(&target)
        ),
        "Enter to open the selected result",
    )?;
    // Enter with nothing selected goes to the full search page.
    open(&mut page, &file_url(&out, "index.html"))?;
    page.press_key("/", "Slash", 191)?;
    wait_for(&mut page, "window.zhikuSearch", "search.js to load")?;
    type_text(&mut page, "党课")?;
    page.press_key("Enter", "Enter", 13)?;
    wait_for(
        &mut page,
        "location.pathname.endsWith('/search/index.html') && new URLSearchParams(location.search).get('q') === '党课' \
         && document.querySelector('#search-results a')",
        "Enter to open the search page",
    )
}

/// A site whose only page has a hostile title and body.
fn hostile_site() -> (tempfile::TempDir, PathBuf) {
    small_site(&[
        (
            "site.toml",
            "title = \"XSS 测试\"\nsite_id = \"xss-test\"\n[markdown]\nallow_html = false\n",
        ),
        ("content/_index.md", "---\ntitle: 首页\n---\n\n测试站。\n"),
        (
            "content/hostile.md",
            // Backslashes make the markup text: the page shows it literally,
            // and so must the search results.
            "---\ntitle: \"<img src=x onerror=alert(1)>\"\n---\n\n\"\\>\\<svg onload=alert(2)\\> 与 \\<script\\>alert(3)\\</script\\> 都应当是文字。\n",
        ),
    ])
}

const NO_DIALOGS: &str =
    "window.alert = window.confirm = window.prompt = () => { window.__alerted = true; };";

fn check_inert(page: &mut Page<'_>, what: &str) -> Result<()> {
    let created = page.eval(
        "document.querySelectorAll('#search-results img, #search-results svg, #search-results script').length",
    )?;
    ensure(created == 0, || {
        format!("{what}: the results made {created} img/svg/script elements")
    })?;
    ensure(page.eval_bool("window.__alerted === undefined")?, || {
        format!("{what}: a dialog was opened")
    })
}

pub fn hostile_titles_and_snippets_stay_text(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = hostile_site();
    let mut page = ctx.browser.new_page()?;
    page.add_init_script(NO_DIALOGS)?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    query(&mut page, "img")?;
    let text = page.eval("document.getElementById('search-results').textContent")?;
    ensure(
        text.as_str()
            .is_some_and(|t| t.contains("<img src=x onerror=alert(1)>")),
        || format!("the title is not shown literally: {text}"),
    )?;
    check_inert(&mut page, "img")?;
    query(&mut page, "svg onload")?;
    let text = page.eval("document.getElementById('search-results').textContent")?;
    ensure(
        text.as_str()
            .is_some_and(|t| t.contains("\"><svg onload=alert(2)>")),
        || format!("the snippet is not shown literally: {text}"),
    )?;
    check_inert(&mut page, "svg onload")?;
    // The query itself, echoed in the "nothing found" message.
    query(&mut page, "\"><svg onload=alert(4)>没有")?;
    check_inert(&mut page, "hostile query")?;
    ensure(
        page.eval_bool("document.querySelectorAll('svg:not(.icon)').length === 0")?,
        || "a query made an svg element".into(),
    )?;
    // And on the search page.
    open(
        &mut page,
        &format!(
            "{}?q={}",
            file_url(&out, "search/index.html"),
            "svg%20onload"
        ),
    )?;
    wait_for(
        &mut page,
        "document.querySelector('#search-results a')",
        "search page results",
    )?;
    let text = page.eval("document.getElementById('search-results').textContent")?;
    ensure(
        text.as_str().is_some_and(|t| {
            t.contains("<img src=x onerror=alert(1)>") && t.contains("\"><svg onload=alert(2)>")
        }),
        || format!("search page: not shown literally: {text}"),
    )?;
    check_inert(&mut page, "search page")
}

pub fn a_missing_index_says_so(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = hostile_site();
    std::fs::remove_file(out.join("search/meta.js")).unwrap();
    let mut page = ctx.browser.new_page()?;
    page.goto(&file_url(&out, "index.html"))?;
    page.eval("document.getElementById('search-box').focus()")?;
    type_text(&mut page, "测试")?;
    if let Err(e) = wait_for(
        &mut page,
        "document.querySelector('.search-message') && /搜索索引不可用/.test(document.querySelector('.search-message').textContent) && !document.getElementById('search-panel').hidden",
        "the 搜索索引不可用 message",
    ) {
        let state = page.eval(
            "JSON.stringify({ value: document.getElementById('search-box').value, loaded: !!window.zhikuSearch, \
             focused: document.activeElement && document.activeElement.id, \
             panel: document.getElementById('search-panel') && document.getElementById('search-panel').outerHTML })",
        )?;
        return Err(format!("{e}\nstate: {state}\n{:#?}", page.problems()));
    }
    let errors: Vec<String> = page
        .problems()
        .into_iter()
        .filter(|p| p.starts_with("exception"))
        .collect();
    ensure(errors.is_empty(), || {
        format!("uncaught errors: {errors:#?}")
    })
}

pub fn search_page_counts_and_filters(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(
        &mut page,
        &format!(
            "{}?q=%E5%85%9A%E5%91%98",
            file_url(&out, "search/index.html")
        ),
    )?;
    wait_for(
        &mut page,
        "document.querySelector('#search-results .search-item')",
        "search page results",
    )?;
    ensure(
        page.eval("document.getElementById('search-box').value")? == "党员",
        || "the box does not show ?q=".into(),
    )?;
    ensure(
        page.eval_bool("document.querySelectorAll('#search-results').length === 1 && document.querySelectorAll('input[type=search][name=q]').length === 1")?,
        || "the search page needs exactly one box and one #search-results".into(),
    )?;
    let total = |page: &mut Page<'_>| -> Result<u64> {
        let status = page.eval("document.getElementById('search-status').textContent")?;
        let status = status.as_str().unwrap_or_default().to_string();
        status
            .split("找到 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("no total in the status: {status}"))
    };
    let all = total(&mut page)?;
    let items = page.eval("document.querySelectorAll('#search-results .search-item').length")?;
    ensure(all >= 5 && items.as_u64() == Some(all.min(20)), || {
        format!("total {all} but {items} results shown")
    })?;
    page.eval("document.querySelector('input[name=kind][value=case]').click()")?;
    wait_for(
        &mut page,
        "document.querySelector('input[name=kind][value=case]').checked \
         && document.getElementById('search-status').textContent.includes('找到')",
        "the case filter",
    )?;
    let cases = total(&mut page)?;
    let kinds = page.eval(
        "Array.from(document.querySelectorAll('#search-results .search-item .badge'), b => b.textContent)",
    )?;
    let kinds: Vec<&str> = kinds
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    ensure(
        cases > 0
            && cases < all
            && kinds.len() as u64 == cases
            && kinds.iter().all(|k| *k == "案例"),
        || format!("filtering by 案例: {cases} of {all}, kinds {kinds:?}"),
    )?;
    // A tag narrows further; every result then carries it.
    let tagged = page.eval(
        "(() => { const s = document.getElementById('search-tag'); const o = s && Array.from(s.options).find(o => o.value); \
         if (!o) return null; s.value = o.value; s.dispatchEvent(new Event('change')); return o.value; })()",
    )?;
    let tag = tagged.as_str().ok_or("no tag filter offered")?.to_string();
    let narrowed = total(&mut page)?;
    ensure(narrowed > 0 && narrowed <= cases, || {
        format!("tag {tag}: {narrowed} of {cases}")
    })?;
    // Every result's page carries the tag (read from the built files).
    let links = page.eval(
        "Array.from(document.querySelectorAll('#search-results .search-item-title a'), a => decodeURIComponent(a.href))",
    )?;
    let links: Vec<&str> = links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    ensure(links.len() as u64 == narrowed, || {
        format!("tag {tag}: {narrowed} counted, {} shown", links.len())
    })?;
    for link in links {
        let file = link
            .trim_start_matches("file://")
            .split('#')
            .next()
            .unwrap_or_default();
        let html = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        ensure(html.contains(&format!(">{tag}</a>")), || {
            format!("filtered by tag {tag}, but {file} does not have it")
        })?;
    }
    Ok(())
}

pub fn works_over_http(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let server = Server::start(out);
    let base = format!("http://127.0.0.1:{}", server.port);
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &format!("{base}/cases/index.html"))?;
    start_search(&mut page)?;
    query(&mut page, "一月底前制定全年工作计划")?;
    let links = result_links(&mut page)?;
    let want = format!("{base}/{REGULATION}#第十五条");
    ensure(links.first() == Some(&want), || {
        format!("over http the first result should be {want}: {links:#?}")
    })?;
    open(
        &mut page,
        &format!("{base}/search/index.html?q=%E9%BB%A8%E5%93%A1"),
    )?;
    wait_for(
        &mut page,
        "document.querySelector('#search-results .search-item')",
        "search page results over http",
    )?;
    drop(server);
    Ok(())
}

pub fn a_site_without_search_has_no_box(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = small_site(&[
        (
            "site.toml",
            "title = \"无搜索\"\nsite_id = \"no-search\"\n[search]\nenabled = false\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: 首页\n---\n\n没有搜索的站点。\n",
        ),
        ("content/a.md", "---\ntitle: 一页\n---\n\n正文。\n"),
    ]);
    ensure(!out.join("search").exists(), || {
        "search/ was written".into()
    })?;
    let mut page = ctx.browser.new_page()?;
    for rel in ["index.html", "a/index.html", "404.html"] {
        open(&mut page, &file_url(&out, rel))?;
        ensure(
            page.eval_bool("document.querySelectorAll('input[type=search], [role=search], #search-box').length === 0")?,
            || format!("{rel}: a search box is shown"),
        )?;
        page.press_key("/", "Slash", 191)?;
        ensure(
            page.eval_bool(
                "!window.zhikuSearch && !document.querySelector('script[src*=\"search\"]')",
            )?,
            || format!("{rel}: search.js was loaded"),
        )?;
        let text = page.eval("document.body.textContent")?;
        ensure(!text.as_str().unwrap_or("").contains("搜索框"), || {
            format!("{rel}: the text mentions a search box")
        })?;
    }
    Ok(())
}

pub fn results_are_accessible_and_fit_a_phone(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let axe = axe_source();
    let mut page = ctx.browser.new_page()?;
    let mut found = Vec::new();
    for (width, height) in [(360, 740), (1280, 900)] {
        page.viewport(width, height)?;
        for theme in ["light", "dark"] {
            for (rel, open_panel) in [
                (REGULATION.to_string(), true),
                (
                    "search/index.html?q=%E7%BB%84%E7%BB%87%E7%94%9F%E6%B4%BB%E4%BC%9A".to_string(),
                    false,
                ),
            ] {
                // Not `open`: axe re-reads stylesheets itself (file:// refuses
                // it), and those failures may be reported late.
                page.goto(&file_url(&out, &rel))?;
                page.eval(&format!(
                    "document.documentElement.dataset.theme = '{theme}'"
                ))?;
                if open_panel {
                    start_search(&mut page)?;
                    query(&mut page, "组织生活会")?;
                    page.press_key("ArrowDown", "ArrowDown", 40)?;
                } else {
                    wait_for(
                        &mut page,
                        "document.querySelector('#search-results a')",
                        "search page results",
                    )?;
                }
                let widths = page.eval(WIDTHS)?;
                if widths[0] != widths[1] {
                    found.push(format!(
                        "{width}px {rel}: scroll width {} > viewport {}",
                        widths[0], widths[1]
                    ));
                }
                if open_panel {
                    let inside = page.eval(
                        "(() => { const r = document.getElementById('search-panel').getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth && r.height > 50; })()",
                    )?;
                    if inside != true {
                        found.push(format!("{width}px: the results panel is off screen"));
                    }
                }
                page.eval(&axe)?;
                let violations = page.eval(
                    "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations \
                     .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                     .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
                )?;
                for v in violations.as_array().into_iter().flatten() {
                    found.push(format!(
                        "{width}px {theme} {rel}: {}",
                        v.as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    ensure(found.is_empty(), || found.join("\n"))
}

/// Screenshots of the results panel and of the search page at a phone's
/// and a desktop's width (see `shots`), each taken once the results show:
/// in the panel, with the first one selected by the arrow key.
pub fn screenshots(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    for size @ (width, height) in [(360, 740), (1280, 900)] {
        page.viewport(width, height)?;
        open(&mut page, &file_url(&out, REGULATION))?;
        start_search(&mut page)?;
        query(&mut page, "组织生活会")?;
        page.press_key("ArrowDown", "ArrowDown", 40)?;
        ensure(
            page.eval_bool(
                "(() => { const b = document.getElementById('search-box'), o = document.getElementById(b.getAttribute('aria-activedescendant')); \
                 const r = document.getElementById('search-panel').getBoundingClientRect(); \
                 return !!o && o.getAttribute('aria-selected') === 'true' && r.height > 50 && r.top < innerHeight; })()",
            )?,
            || format!("{width}px: the panel shows no selected result"),
        )?;
        shots::capture(&mut page, &format!("search-panel-{width}.png"), size)?;
        open(
            &mut page,
            &format!(
                "{}?q=%E5%85%9A%E5%91%98",
                file_url(&out, "search/index.html")
            ),
        )?;
        wait_for(
            &mut page,
            "document.querySelector('#search-results a')",
            "search page results",
        )?;
        shots::capture(&mut page, &format!("search-page-{width}.png"), size)?;
    }
    Ok(())
}

/// A site where two characters (党, 第) start so many terms that the index
/// spreads them over sub-shards (`meta.split`); 第 also starts every
/// article's citation term (第150条), which goes by the whole term.
fn heavy_character_site() -> (tempfile::TempDir, PathBuf) {
    let body: String = (0..20_000)
        .map(|i| format!("党员{}党组党课党费。\n\n", i % 7))
        .collect();
    let articles: String = (1..=200)
        .map(|n| format!("**第{n}条** {}。\n\n", "第一项第二项".repeat(45)))
        .collect();
    small_site(&[
        (
            "site.toml",
            "title = \"分片测试\"\nsite_id = \"split-test\"\n",
        ),
        ("content/_index.md", "---\ntitle: 首页\n---\n\n测试站。\n"),
        (
            "content/heavy.md",
            &format!("---\ntitle: 很多党字\n---\n\n{body}"),
        ),
        (
            "content/rules.md",
            &format!("---\ntitle: 二百条规则\nkind: regulation\n---\n\n{articles}"),
        ),
        (
            "content/rare.md",
            "---\ntitle: 申请书\n---\n\n递交入党申请书。\n",
        ),
    ])
}

pub fn heavy_characters_are_split_and_still_found(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = heavy_character_site();
    let meta = std::fs::read_to_string(out.join("search/meta.js")).unwrap();
    ensure(
        meta.contains("\"党\":[") && meta.contains("\"第\":["),
        || format!("党 and 第 were not split: {meta}"),
    )?;
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    // A bigram in a sub-shard, and a one-character query that needs all of them.
    for (q, title) in [
        ("党申", "申请书"),
        ("党", "申请书"),
        ("党", "很多党字"),
        ("党费", "很多党字"),
    ] {
        query(&mut page, q)?;
        let text = page.eval("document.getElementById('search-results').textContent")?;
        ensure(text.as_str().is_some_and(|t| t.contains(title)), || {
            format!("{q}: {title} not found in {text}")
        })?;
    }
    // Citation terms, in sub-shards chosen by the whole term, are found
    // where the build put them.
    for term in ["第150条", "第7条", "第200条"] {
        let units = page.eval(&format!("zhikuSearch.units({})", js(term)))?;
        ensure(units == 1, || format!("{term}: {units} units"))?;
    }
    first_is(&mut page, "第150条", "rules/index.html#第一百五十条")
}

/// Older phone browsers and in-app viewers lack DecompressionStream: the
/// runtime's own inflate must read the index, and agree with the browser's
/// deflate on stored, fixed and dynamic blocks.
pub fn works_without_decompression_streams(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    page.eval("window.DecompressionStream = undefined; true")?;
    start_search(&mut page)?;
    finds_article_15(&mut page)?;
    // Random bytes (stored blocks), a short text (fixed codes), a long
    // repetitive text (dynamic codes), compressed by Chromium itself.
    let checked = page.eval(
        "(async () => {
           const inputs = [
             crypto.getRandomValues(new Uint8Array(40000)),
             new TextEncoder().encode('党员'),
             new TextEncoder().encode('组织生活会三会一课民主评议党员。'.repeat(3000) + 'abc'.repeat(999)),
             new Uint8Array(0),
           ];
           for (const input of inputs) {
             const packed = await new Response(new Blob([input]).stream()
               .pipeThrough(new CompressionStream('deflate'))).arrayBuffer();
             const back = zhikuInflate(new Uint8Array(packed));
             if (back.length !== input.length || back.some((b, i) => b !== input[i]))
               return 'mismatch at input of ' + input.length + ' bytes';
           }
           try { zhikuInflate(new Uint8Array([0x78, 0x9c, 0xff])); return 'garbage accepted'; }
           catch (e) { return 'ok'; }
         })()",
    )?;
    ensure(checked == "ok", || format!("inflate: {checked}"))
}

/// More matches than the search page loads at once (40 regulations of 60
/// articles and 30 cases all say 组织生活会): the page map still makes the
/// totals and the kind and tag filters count every match.
pub fn search_page_counts_every_match_on_a_large_site(ctx: &mut Ctx) -> Result<()> {
    let mut files: Vec<(String, String)> = vec![
        (
            "site.toml".into(),
            "title = \"大站\"\nsite_id = \"big\"\n".into(),
        ),
        (
            "content/_index.md".into(),
            "---\ntitle: 首页\n---\n\n首页。\n".into(),
        ),
        (
            "content/regulations/_index.md".into(),
            "---\ntitle: 制度\npage_kind: regulation\n---\n".into(),
        ),
        (
            "content/cases/_index.md".into(),
            "---\ntitle: 案例\npage_kind: case\n---\n".into(),
        ),
    ];
    for r in 0..40 {
        let body: String = (1..=60)
            .map(|a| format!("第{a}条　第{r}号规定的第{a}条要求按时召开组织生活会。\n\n"))
            .collect();
        files.push((
            format!("content/regulations/r{r}.md"),
            format!("---\ntitle: 规定{r}\n---\n\n{body}"),
        ));
    }
    for c in 0..30 {
        let tag = if c % 2 == 0 { "tags: [甲类]\n" } else { "" };
        files.push((
            format!("content/cases/c{c}.md"),
            format!("---\ntitle: 案例{c}\n{tag}---\n\n这个支部没有按时召开组织生活会。\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (_dir, out) = small_site(&refs);
    let mut page = ctx.browser.new_page()?;
    let url = file_url(&out, "search/index.html");
    let status_says = |page: &mut Page<'_>, text: &str, what: &str| -> Result<()> {
        wait_for(
            page,
            &format!(
                "document.getElementById('search-status').textContent.includes({})",
                js(text)
            ),
            what,
        )
    };
    open(
        &mut page,
        &format!("{url}?q=%E7%BB%84%E7%BB%87%E7%94%9F%E6%B4%BB%E4%BC%9A"),
    )?;
    status_says(&mut page, "找到 70 个页面", "70 pages in all")?;
    let status = page.eval("document.getElementById('search-status').textContent")?;
    ensure(
        status.as_str().is_some_and(|s| s.contains("共 2430 处")),
        || format!("every matching article and case should be counted: {status}"),
    )?;
    ensure(
        page.eval_bool(
            "document.querySelector('input[name=kind][value=case]').parentNode.textContent.includes('30')",
        )?,
        || "the 案例 filter should count 30 pages".into(),
    )?;
    page.eval("document.querySelector('input[name=kind][value=case]').click()")?;
    status_says(&mut page, "找到 30 个页面", "30 cases")?;
    let kinds = page.eval(
        "Array.from(document.querySelectorAll('#search-results .search-item .badge'), b => b.textContent)",
    )?;
    ensure(
        kinds
            .as_array()
            .is_some_and(|k| k.len() == 20 && k.iter().all(|b| b == "案例")),
        || format!("the first page of results should be 20 cases: {kinds}"),
    )?;
    page.eval(
        "(s => { s.value = '甲类'; s.dispatchEvent(new Event('change')); })(document.getElementById('search-tag'))",
    )?;
    status_says(&mut page, "找到 15 个页面", "15 cases tagged 甲类")
}

/// The links of the search page's results for `q` (with `&kind=…` if
/// given), once it has answered.
pub(crate) fn results_for(
    page: &mut Page<'_>,
    out: &Path,
    query: &str,
) -> Result<Vec<(String, String)>> {
    let q: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'=' || b == b'&' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    open(
        page,
        &format!("{}?q={q}", file_url(out, "search/index.html")),
    )?;
    wait_for(
        page,
        "document.getElementById('search-status').textContent.includes('找到')",
        "the search page's answer",
    )?;
    let found = page.eval(
        "Array.from(document.querySelectorAll('#search-results .search-item'), i => \
         [i.querySelector('.search-item-title a').getAttribute('href'), (i.querySelector('.badge') || {}).textContent || ''])",
    )?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            (
                pair[0].as_str().unwrap_or_default().to_string(),
                pair[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect())
}

pub fn quiz_questions_are_found_but_not_their_answers(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    // A question's words find its quiz, labelled 测验.
    let found = results_for(&mut page, &out, "支部党员大会到会党员不足应到会党员半数时")?;
    ensure(
        found
            .iter()
            .any(|(href, kind)| href.contains("quizzes/sanhui-yike/") && kind == "测验"),
        || format!("the question's quiz is not among {found:?}"),
    )?;
    // The 测验 filter keeps only quizzes.
    let quizzes = results_for(&mut page, &out, "党员&kind=quiz")?;
    ensure(
        quizzes.len() == 2
            && quizzes
                .iter()
                .all(|(h, k)| h.contains("quizzes/") && k == "测验"),
        || format!("filtered to 测验: {quizzes:?}"),
    )?;
    // Explanations and blanks' answers are not in the index: a phrase
    // only an explanation holds finds no quiz.
    let explained = results_for(&mut page, &out, "两者都以季度为周期")?;
    ensure(
        explained.iter().all(|(h, _)| !h.contains("quizzes/")),
        || format!("an explanation was found: {explained:?}"),
    )
}
