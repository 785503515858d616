//! The site's words in the browser (issue 17): an English site opened from
//! disk, and its single-file edition, give the search box's and search
//! page's messages and the checklist's progress in English. The scripts
//! take them from `assets/ui.js` (inlined in the single file), made from
//! the theme's catalogue; nothing of them is in the scripts' own code.

use std::path::PathBuf;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::search::{open, query, start_search, wait_for};
use crate::sites::{ensure, file_url, small_site};

const CHECKLIST: &str = "---\ntitle: Branch meeting\nkind: checklist\n---\n\n\
                         ## Before\n\n- [ ] Send the notice\n- [x] Book the room\n";

const NO_RESULTS: &str = "No results for “xylophone”; try a shorter word, or other wording.";

/// A small English site with a checklist, built; its sources are in
/// `site/` beside the output.
fn english_site() -> (tempfile::TempDir, PathBuf) {
    small_site(&[
        (
            "site.toml",
            "title = \"Study notes\"\nsite_id = \"en-test\"\nlanguage = \"en\"\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nNotes for the branch.\n",
        ),
        ("content/meeting.md", CHECKLIST),
    ])
}

/// The header box's message for a query that finds nothing.
fn no_results(page: &mut Page<'_>) -> Result<()> {
    query(page, "xylophone")?;
    let message =
        page.eval("document.querySelector('#search-panel .search-message').textContent")?;
    ensure(message == NO_RESULTS, || {
        format!("the box's message for no results: {message}")
    })
}

/// The checklist's count, as its script writes it once it has run.
fn checklist_count(page: &mut Page<'_>) -> Result<()> {
    wait_for(
        page,
        "document.querySelector('[data-checklist-count]').textContent === '1 of 2 done'",
        "the checklist's count in English",
    )
}

pub fn an_english_site_speaks_english_from_disk(ctx: &mut Ctx) -> Result<()> {
    let (_dir, out) = english_site();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &file_url(&out, "index.html"))?;
    start_search(&mut page)?;
    // The header box: nothing found, then one page found.
    no_results(&mut page)?;
    query(&mut page, "meeting")?;
    let more = page.eval("document.querySelector('#search-panel .search-more').textContent")?;
    ensure(more == "See all results (1 page)", || {
        format!("the link to all results: {more}")
    })?;
    // The search page's status line.
    open(
        &mut page,
        &format!("{}?q=notice", file_url(&out, "search/index.html")),
    )?;
    wait_for(
        &mut page,
        "document.getElementById('search-results').dataset.query === 'notice'",
        "the search page's results for notice",
    )?;
    let status = page.eval("document.getElementById('search-status').textContent")?;
    ensure(
        status
            .as_str()
            .is_some_and(|s| s.starts_with("“notice”: 1 page, ") && s.contains(" match")),
        || format!("the search page's status: {status}"),
    )?;
    open(&mut page, &file_url(&out, "meeting/index.html"))?;
    checklist_count(&mut page)?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}

pub fn the_english_single_file_speaks_english(ctx: &mut Ctx) -> Result<()> {
    let (dir, out) = english_site();
    let root = out.parent().unwrap().join("site");
    let options = zhiku::pipeline::SingleFileOptions::default();
    let file = zhiku::pipeline::single_file(&root, &options, &|_, _| {})
        .map_err(|f| format!("{:#?}", f.diagnostics))?;
    let path = dir.path().join("notes.html");
    std::fs::write(&path, file.html).unwrap();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &format!("file://{}", path.display()))?;
    no_results(&mut page)?;
    checklist_count(&mut page)
}
