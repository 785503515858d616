//! Search that answers a member's question (issue 12), from disk on the
//! sample site: several terms anywhere in a page, questions and other
//! wording, citations, abbreviations, and everything a reader sees.

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::search::{
    REGULATION, TRADITIONAL, first_is, open, query, result_links, start_search, wait_for,
};
use crate::sites::{ensure, file_url};

fn search_page(ctx: &mut Ctx) -> Result<Page<'_>> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    Ok(page)
}

/// The panel's message line (partial matches, nothing found).
fn message(page: &mut Page<'_>) -> Result<String> {
    let v = page.eval(
        "(document.querySelector('#search-panel .search-message') || {}).textContent || ''",
    )?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The first result's snippet text.
fn first_snippet(page: &mut Page<'_>) -> Result<String> {
    let v = page
        .eval("document.querySelector('#search-results a .search-option-snippet').textContent")?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

pub fn several_terms_meet_anywhere_in_a_page(ctx: &mut Ctx) -> Result<()> {
    let mut page = search_page(ctx)?;
    // 对照检查 is in 第二十条 and 联系人 in 第二十六条: no unit holds both.
    for q in ["对照检查 联系人", "对照检查\u{3000}联系人"] {
        query(&mut page, q)?;
        let links = result_links(&mut page)?;
        ensure(
            links.first().is_some_and(|l| {
                l.ends_with(&format!("{REGULATION}#第二十条"))
                    || l.ends_with(&format!("{REGULATION}#第二十六条"))
            }),
            || {
                format!(
                    "{q}: the page holding both terms should come first, at one of them: {links:#?}"
                )
            },
        )?;
        ensure(!message(&mut page)?.contains("部分匹配"), || {
            format!("{q}: a full match was called partial")
        })?;
    }
    Ok(())
}

pub fn a_question_finds_its_article(ctx: &mut Ctx) -> Result<()> {
    let mut page = search_page(ctx)?;
    first_is(
        &mut page,
        "支部委员会多长时间开一次会",
        &format!("{REGULATION}#第十六条"),
    )?;
    first_is(
        &mut page,
        "支部委员会多长时间开一次会？",
        &format!("{REGULATION}#第十六条"),
    )
}

pub fn other_wording_gives_labelled_partial_matches(ctx: &mut Ctx) -> Result<()> {
    let mut page = search_page(ctx)?;
    // The text says 党费按照规定的比例和标准交纳.
    first_is(
        &mut page,
        "黨費交納標準",
        &format!("{REGULATION}#第二十五条"),
    )?;
    let said = message(&mut page)?;
    ensure(
        said.contains("没有完全匹配“黨費交納標準”的结果，以下是部分匹配"),
        || format!("partial matches are not labelled as such: {said:?}"),
    )?;
    let marked = page.eval(
        "Array.from(document.querySelectorAll('#search-results a')[0].querySelectorAll('.search-option-snippet mark'), m => m.textContent)",
    )?;
    let marked: String = marked
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str())
        .collect();
    ensure(
        ["党费", "标准", "交纳"].iter().all(|w| marked.contains(w)),
        || format!("the words that matched are not highlighted: {marked}"),
    )?;
    // Nothing shared: an empty answer, said plainly.
    query(&mut page, "量子隧穿")?;
    ensure(result_links(&mut page)?.is_empty(), || {
        "量子隧穿 found something".into()
    })?;
    let said = message(&mut page)?;
    ensure(said.contains("没有找到"), || {
        format!("no 'nothing found' line: {said:?}")
    })
}

pub fn citations_find_the_article(ctx: &mut Ctx) -> Result<()> {
    let mut page = search_page(ctx)?;
    let article = |a: &str| format!("{REGULATION}#{a}");
    for q in ["第25条", "第 25 条", "25条", "第二十五条", "第二十五條"] {
        first_is(&mut page, q, &article("第二十五条"))?;
    }
    for q in ["第20条之一", "第二十条之一"] {
        first_is(&mut page, q, &article("第二十条之一"))?;
    }
    // With a title in front, the article of that page comes first, though
    // both regulations have a 第十五条 and a 第五条.
    for q in [
        "示例基层党支部工作规定第15条",
        "《示例基层党支部工作规定》第十五条",
        "基层党支部工作规定 15条",
    ] {
        first_is(&mut page, q, &article("第十五条"))?;
    }
    first_is(
        &mut page,
        "基層黨支部工作規則第5條",
        &format!("{TRADITIONAL}#第五条"),
    )?;
    first_is(
        &mut page,
        "基层党支部工作规则 第5条",
        &format!("{TRADITIONAL}#第五条"),
    )?;
    // Enter opens the cited article at its anchor.
    query(&mut page, "第20条之一")?;
    page.press_key("Enter", "Enter", 13)?;
    wait_for(
        &mut page,
        "decodeURIComponent(location.href).endsWith('zhibu-gongzuo-guiding/index.html#第二十条之一')",
        "Enter to open 第二十条之一",
    )
}

pub fn abbreviations_find_full_names(ctx: &mut Ctx) -> Result<()> {
    let mut page = search_page(ctx)?;
    // The text says 纪律检查委员会 only.
    first_is(&mut page, "纪委", &format!("{REGULATION}#第二十七条"))?;
    // The site's own group in site.toml: 入党 ↔ 发展党员.
    query(&mut page, "入党")?;
    let forms = page.eval("zhikuSearch.parse('入党')")?;
    ensure(forms.to_string().contains("发展 展党 党员"), || {
        format!("site synonyms are not used: {forms}")
    })
}

pub fn everything_a_reader_sees_is_searchable(ctx: &mut Ctx) -> Result<()> {
    // A tag written 三會一課 in the front matter, and nowhere in the text:
    // among the cases found on the search page (the header's eight
    // results are taken by pages that say 三会一课 in their text).
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    let cases = crate::search::results_for(&mut page, &out, "三会一课&kind=case")?;
    ensure(
        cases
            .iter()
            .any(|(href, _)| href.ends_with("cases/jiguan-banzi-xuexi/index.html")),
        || format!("the page tagged 三會一課 is not found: {cases:#?}"),
    )?;
    drop(page);
    let mut page = search_page(ctx)?;
    // Front matter shown on the page: a checklist's participants.
    first_is(
        &mut page,
        "党小组组长列席",
        "checklists/zhibu-weiyuanhui/index.html",
    )?;
    let snippet = first_snippet(&mut page)?;
    ensure(snippet.contains("可邀请党小组组长列席"), || {
        format!("the snippet should show the front matter that matched: {snippet:?}")
    })?;
    // A cross-reference's generated text: searchable, and no hole in the snippet.
    let case = "cases/liudong-dangyuan-guanli/index.html#整改措施";
    first_is(
        &mut page,
        "示例基层党支部工作规定》第二十条之一，为外出党员开通",
        case,
    )?;
    query(&mut page, "开通线上参加党小组学习的渠道")?;
    let snippet = first_snippet(&mut page)?;
    ensure(
        snippet.contains("第二十条之一，为外出党员开通"),
        || format!("the cross-reference's text is missing from the snippet: {snippet:?}"),
    )?;
    // A heading's hit shows its label once, not again in the snippet.
    first_is(
        &mut page,
        "党员教育管理",
        &format!("{REGULATION}#第五章-党员教育管理"),
    )?;
    let snippet = first_snippet(&mut page)?;
    ensure(!snippet.contains("党员教育管理"), || {
        format!("the snippet repeats the heading: {snippet:?}")
    })
}
