//! The default theme as a reader meets it: opened from disk, on a phone
//! and a desktop, by keyboard, in dark mode, printed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::shots;
use crate::sites::{WIDTHS, axe_source, ensure, file_url};

/// The home page, a section page and content pages of each kind.
const PAGES: &[&str] = &[
    "index.html",
    "cases/index.html",
    "regulations/zhibu-gongzuo-guiding/index.html",
    "checklists/zhibu-dangyuan-dahui/index.html",
    "cases/cun-sanhui-yike/index.html",
    // Has a highlighted code block, so it loads syntax.css too.
    "about/index.html",
    "quizzes/sanhui-yike/index.html",
    "study-record/index.html",
    "study-record/wrong/index.html",
];

fn open(page: &mut Page<'_>, out: &Path, rel: &str) -> Result<()> {
    page.goto(&file_url(out, rel))?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{rel}: {problems:#?}"))
}

pub fn pages_load_from_disk_without_errors(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    for rel in PAGES {
        open(&mut page, &out, rel)?;
        let title = page.eval("document.title")?;
        ensure(title.as_str().is_some_and(|t| !t.is_empty()), || {
            format!("{rel}: empty title")
        })?;
        let h1 = page.eval(
            "document.querySelector('main h1') && document.querySelector('main h1').textContent",
        )?;
        ensure(h1.as_str().is_some_and(|t| !t.trim().is_empty()), || {
            format!("{rel}: no h1 in main")
        })?;
    }
    Ok(())
}

pub fn every_link_leads_to_a_page_that_loads(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    let mut targets = BTreeSet::new();
    for rel in PAGES {
        open(&mut page, &out, rel)?;
        // Menu links site.toml declares outside the site are marked so
        // (`rel="external"`, ↗) and never followed; every other link stays
        // on the disk copy.
        let hrefs = page.eval(
            "Array.from(document.querySelectorAll('a[href]:not([rel~=external])'), a => a.href)",
        )?;
        for href in hrefs
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            ensure(href.starts_with("file://"), || {
                format!("{rel}: link leaves the disk copy: {href}")
            })?;
            targets.insert(href.to_string());
        }
    }
    ensure(targets.len() > 10, || {
        format!("too few links found: {targets:?}")
    })?;
    for href in &targets {
        let (file, fragment) = href
            .split_once('#')
            .map_or((href.as_str(), None), |(f, h)| (f, Some(h)));
        ensure(!file.ends_with('/'), || format!("link to a folder: {href}"))?;
        // A same-document `#fragment` navigation fires no load event, so
        // always load the file itself, then look for the fragment.
        page.goto(file)?;
        let problems = page.problems();
        ensure(problems.is_empty(), || format!("{href}: {problems:#?}"))?;
        ensure(
            page.eval_bool("document.body !== null && document.body.children.length > 0")?,
            || format!("{href}: empty page (missing file?)"),
        )?;
        if let Some(id) = fragment.filter(|f| !f.is_empty()) {
            let js = format!(
                "document.getElementById(decodeURIComponent({})) !== null",
                Value::from(id)
            );
            ensure(page.eval_bool(&js)?, || {
                format!("{href}: no element with that id")
            })?;
        }
    }
    Ok(())
}

pub fn nothing_overflows_at_360px(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    for rel in PAGES {
        open(&mut page, &out, rel)?;
        let widths = page.eval(WIDTHS)?;
        if widths[0] != widths[1] {
            // Name what sticks out, as the screenshots do.
            let wide = crate::shots::overflowing(&mut page)?;
            return Err(format!(
                "{rel}: scroll width {} > viewport {}:\n{}",
                widths[0],
                widths[1],
                wide.join("\n")
            ));
        }
    }
    Ok(())
}

/// The drawer button: the header button that controls the navigation.
const DRAWER_BUTTON: &str = "button[aria-controls][aria-expanded]";

pub fn the_drawer_opens_and_closes_by_keyboard(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    open(&mut page, &out, "cases/cun-sanhui-yike/index.html")?;
    let nav_visible = format!(
        "(() => {{ const b = document.querySelector('{DRAWER_BUTTON}'); const n = document.getElementById(b.getAttribute('aria-controls')); \
         const r = n.getBoundingClientRect(); return getComputedStyle(n).visibility !== 'hidden' && getComputedStyle(n).display !== 'none' && r.width > 0 && r.right > 0 && r.left < innerWidth; }})()"
    );
    ensure(
        page.eval_bool(&format!(
            "document.querySelector('{DRAWER_BUTTON}') !== null"
        ))?,
        || "no drawer button (a button with aria-controls and aria-expanded)".into(),
    )?;
    ensure(!page.eval_bool(&nav_visible)?, || {
        "navigation visible before opening the drawer at 360px".into()
    })?;
    page.eval(&format!(
        "document.querySelector('{DRAWER_BUTTON}').focus()"
    ))?;
    page.press_key("Enter", "Enter", 13)?;
    page.eval("new Promise(r => setTimeout(r, 400))")?;
    ensure(page.eval_bool(&nav_visible)?, || {
        "Enter on the drawer button did not open the navigation".into()
    })?;
    ensure(
        page.eval(&format!(
            "document.querySelector('{DRAWER_BUTTON}').getAttribute('aria-expanded')"
        ))? == "true",
        || "aria-expanded not true when open".into(),
    )?;
    page.press_key("Escape", "Escape", 27)?;
    page.eval("new Promise(r => setTimeout(r, 400))")?;
    ensure(!page.eval_bool(&nav_visible)?, || {
        "Escape did not close the navigation".into()
    })?;
    ensure(
        page.eval_bool(&format!(
            "document.activeElement === document.querySelector('{DRAWER_BUTTON}')"
        ))?,
        || "focus did not return to the drawer button".into(),
    )
}

/// The light/dark toggle.
const THEME_TOGGLE: &str = "[data-theme-toggle]";

pub fn dark_mode_choice_persists_across_pages(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(&mut page, &out, "index.html")?;
    let background = "getComputedStyle(document.body).backgroundColor";
    let light = page.eval(background)?;
    let before = page.eval("document.documentElement.dataset.theme || ''")?;
    page.eval(&format!("document.querySelector('{THEME_TOGGLE}').click()"))?;
    let chosen = page.eval("document.documentElement.dataset.theme || ''")?;
    ensure(chosen != before && chosen != "", || {
        format!("toggle did not change data-theme ({before} → {chosen})")
    })?;
    if chosen == "light" {
        // The system was dark: toggle once more to reach dark.
        page.eval(&format!("document.querySelector('{THEME_TOGGLE}').click()"))?;
    }
    ensure(
        page.eval("document.documentElement.dataset.theme")? == "dark",
        || "toggle never reached dark".into(),
    )?;
    let dark = page.eval(background)?;
    ensure(dark != light, || {
        format!("background unchanged in dark mode: {dark}")
    })?;
    open(
        &mut page,
        &out,
        "regulations/zhibu-gongzuo-guiding/index.html",
    )?;
    ensure(
        page.eval("document.documentElement.dataset.theme")? == "dark",
        || "choice lost on the next page".into(),
    )?;
    ensure(page.eval(background)? == dark, || {
        "next page not dark".into()
    })
}

pub fn axe_finds_no_serious_violations(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let axe = axe_source();
    let mut page = ctx.browser.new_page()?;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        for rel in PAGES {
            open(&mut page, &out, rel)?;
            page.eval(&format!(
                "document.documentElement.dataset.theme = '{theme}'"
            ))?;
            page.eval(&axe)?;
            let violations = page.eval(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations \
                 .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
            )?;
            for v in violations.as_array().into_iter().flatten() {
                found.push(format!("{theme} {rel}: {}", v.as_str().unwrap_or_default()));
            }
        }
    }
    ensure(found.is_empty(), || found.join("\n"))
}

pub fn print_hides_navigation(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    open(
        &mut page,
        &out,
        "checklists/zhibu-dangyuan-dahui/index.html",
    )?;
    let hidden = "(sel => Array.from(document.querySelectorAll(sel)).every(e => getComputedStyle(e).display === 'none'))";
    ensure(!page.eval_bool(&format!("{hidden}('nav')"))?, || {
        "navigation hidden on screen".into()
    })?;
    page.emulate_media("print")?;
    for sel in [
        "body > header nav, nav[aria-label]",
        "input[type=search]",
        THEME_TOGGLE,
        DRAWER_BUTTON,
    ] {
        let js = format!(
            "Array.from(document.querySelectorAll('{sel}')).every(e => e.offsetParent === null)"
        );
        ensure(page.eval_bool(&js)?, || {
            format!("`{sel}` still shown in print")
        })?;
    }
    ensure(page.eval_bool("document.querySelector('main').offsetParent !== null || getComputedStyle(document.querySelector('main')).display !== 'none'")?, || {
        "main content hidden in print".into()
    })?;
    page.emulate_media("")
}

pub fn css_and_js_stay_small(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    for rel in PAGES {
        open(&mut page, &out, rel)?;
        let urls = page.eval(
            "Array.from(document.querySelectorAll('link[rel=stylesheet][href], script[src]'), e => e.href || e.src)",
        )?;
        let inline = page.eval(
            "Array.from(document.querySelectorAll('style, script:not([src])'), e => e.textContent.length).reduce((a, b) => a + b, 0)",
        )?;
        let mut total = inline.as_u64().unwrap_or(0);
        for url in urls
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let path = PathBuf::from(url.trim_start_matches("file://"));
            total += std::fs::metadata(&path)
                .map_err(|e| format!("{url}: {e}"))?
                .len();
        }
        // 60 KiB until study progress came to every page (issue 19:
        // study.js, its styles and words, about 11 KB); a quiz page adds
        // quiz.js and quiz.css (about 23 KB).
        let limit = if rel.starts_with("quizzes/") { 90 } else { 72 } * 1024;
        println!("  ({rel}: {total} bytes of CSS and JS)");
        ensure(total <= limit, || {
            format!(
                "{rel} loads {total} bytes of CSS and JS (limit {} KiB)",
                limit / 1024
            )
        })?;
    }
    Ok(())
}

/// Screenshots of the home page, a regulation and a checklist at a
/// phone's and a desktop's width (see `shots`).
pub fn screenshots(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    for (name, rel) in [
        ("home", "index.html"),
        ("regulation", "regulations/zhibu-gongzuo-guiding/index.html"),
        ("checklist", "checklists/zhibu-dangyuan-dahui/index.html"),
    ] {
        for size @ (width, height) in [(360, 740), (1280, 900)] {
            page.viewport(width, height)?;
            open(&mut page, &out, rel)?;
            shots::capture(&mut page, &format!("{name}-{width}.png"), size)?;
        }
    }
    Ok(())
}
