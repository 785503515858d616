//! What site.toml adds to the sample site (issue 16), as a member meets it
//! from disk on a phone: the logo, the footer and the menu, and an old
//! address that still leads to its page.

use std::time::Duration;

use crate::Ctx;
use crate::cdp::Result;
use crate::sites::{WIDTHS, ensure, file_url, wait_until};

const CASE: &str = "cases/shequ-zhibu-xuhua/index.html";

pub fn logo_footer_and_menu_work_from_disk(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    page.goto(&file_url(&out, CASE))?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))?;
    // The logo loaded from the output folder and sits in the header.
    let logo = page.eval(
        "(() => { const i = document.querySelector('.site-header img.site-logo'); \
         return i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0; })()",
    )?;
    ensure(logo == true, || "the header's logo did not load".into())?;
    // The footer is the site's, and its link opens the page it names.
    let footer = page.eval("document.querySelector('.site-footer .footer-custom').innerText")?;
    ensure(
        footer
            .as_str()
            .is_some_and(|t| t.contains("某某街道党工委组织科")),
        || format!("footer: {footer}"),
    )?;
    let widths = page.eval(WIDTHS)?;
    ensure(widths[0] == widths[1], || {
        format!("overflow at 360 px: {widths}")
    })?;
    page.eval("document.querySelector('.footer-custom a').click()")?;
    wait_until(
        &mut page,
        "location.href.endsWith('/about/index.html') && document.readyState === 'complete'",
        "the footer's link to open 关于本站",
        Duration::from_secs(5),
    )?;
    // The menu, in the drawer on a phone: its first item opens a checklist
    // deep in its section, which it then marks as the current page.
    page.goto(&file_url(&out, CASE))?;
    page.eval("document.querySelector('.nav-toggle').click()")?;
    let shown = page.eval(
        "(() => { const a = document.querySelector('.nav-menu a'); \
         return a.getBoundingClientRect().height > 0 && a.textContent; })()",
    )?;
    ensure(shown == "组织生活会清单", || {
        format!("first menu item: {shown}")
    })?;
    page.eval("document.querySelector('.nav-menu a').click()")?;
    wait_until(
        &mut page,
        "location.href.endsWith('/checklists/zu-zhi-sheng-huo-hui/index.html') && document.readyState === 'complete'",
        "the menu to open the 组织生活会 checklist",
        Duration::from_secs(5),
    )?;
    let current =
        page.eval("document.querySelector('.nav-menu [aria-current=page]').textContent")?;
    ensure(current == "组织生活会清单", || {
        format!("current menu item: {current}")
    })?;
    // The outside link is marked and opens elsewhere; the test never follows it.
    let external = page.eval(
        "(() => { const a = document.querySelector('.nav-menu .is-external a'); \
         return a.target === '_blank' && a.relList.contains('external') && !!a.querySelector('.external-mark'); })()",
    )?;
    ensure(external == true, || {
        "the outside menu link is not marked".into()
    })
}

pub fn an_old_address_opens_the_renamed_page(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    // A link shared before the file was renamed, pointing into the page.
    page.goto(&file_url(
        &out,
        "cases/shequ-dangwei-baoban/index.html#背景",
    ))?;
    wait_until(
        &mut page,
        "location.pathname.endsWith('/cases/shequ-zhibu-xuhua/index.html') \
         && decodeURIComponent(location.hash) === '#背景' && document.querySelector('main h1')",
        "the old address to lead to the renamed page, keeping its #背景",
        Duration::from_secs(5),
    )?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}
