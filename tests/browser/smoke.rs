//! The engine smoke checks (issue 18): one per feature, each run in
//! Chromium, WebKit and Firefox from `file://` (see `engines.rs`).

use serde_json::Value;

use crate::cdp::Result;
use crate::engines::{Copies, Engine, Tab, errors, open, url, wait};
use crate::search::{REGULATION, TRADITIONAL};
use crate::sites::{WIDTHS, ensure};

fn js(v: &str) -> String {
    Value::from(v).to_string()
}

/// A page of each kind a member opens.
const PAGES: &[&str] = &[
    "index.html",
    REGULATION,
    "checklists/zhibu-dangyuan-dahui/index.html",
    "cases/cun-sanhui-yike/index.html",
    "tags/san-hui-yi-ke/index.html",
    "search/index.html",
];

/// The recorder the checks rely on sees an uncaught error in this engine
/// (otherwise "no script error" would prove nothing).
pub fn the_error_recorder_sees_a_thrown_error(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let file = c.sample.join("broken-script.html");
    let html = std::fs::read_to_string(c.sample.join("index.html")).unwrap();
    let broken = html.replacen(
        "</body>",
        "<script>undefinedFunctionOfTheTest()</script></body>",
        1,
    );
    std::fs::write(&file, broken).unwrap();
    let tab = e.tab();
    tab.goto(&url(&c.sample, "broken-script.html"))?;
    wait(tab, "document.readyState === 'complete'", "the load", 10)?;
    // WebKit reports every error of a page from disk as "Script error."
    // (a file:// page is an opaque origin to it), without the message.
    let found = errors(tab)?;
    let name = e.name();
    ensure(
        found.iter().any(|l| {
            l.contains("undefinedFunctionOfTheTest")
                || (name == "WebKit" && l.starts_with("error: Script error."))
        }),
        || format!("{name}: a thrown error was not recorded: {found:?}"),
    )
}

/// Each kind of page loads with no script error and nothing sticking out
/// sideways, at a phone's width and a desktop's.
/// Also screenshots the home page, for a person to compare the engines:
/// `target/screenshots/engines/ENGINE-home-WIDTH.png`.
pub fn pages_load_at_360_and_1280(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let name = e.name().to_lowercase();
    let tab = e.tab();
    for (width, height) in [(360, 740), (1280, 900)] {
        tab.viewport(width, height)?;
        open(tab, &url(&c.sample, "index.html"))?;
        let path = crate::shots::dir().join(format!("engines/{name}-home-{width}.png"));
        let _ = std::fs::remove_file(&path);
        // MiniBrowser's window may settle a few pixels taller after a
        // load: the viewport as it is now, at the width asked for.
        let inner = tab.eval("[innerWidth, innerHeight]")?;
        tab.screenshot(&path)?;
        let png = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let size = crate::shots::png_size(&png).map(|(w, h)| serde_json::json!([w, h]));
        ensure(size.as_ref() == Some(&inner) && inner[0] == width, || {
            format!("{}: {size:?}, not the viewport's {inner}", path.display())
        })?;
        for rel in PAGES {
            open(tab, &url(&c.sample, rel))?;
            let widths = tab.eval(&format!("{WIDTHS}.concat([innerWidth])"))?;
            ensure(
                widths[0] == widths[1] && widths[1] == width && widths[2] == width,
                || format!("{rel} at {width}px: scroll width, screen width, window width {widths}"),
            )?;
            ensure(
                tab.eval(
                    "!!(document.querySelector('main h1') || document.querySelector('main h2'))",
                )? == true,
                || format!("{rel} at {width}px: no heading in main"),
            )?;
        }
    }
    Ok(())
}

/// Types `q` into the header box (WebDriver's keys in WebKit and
/// Firefox, an input method's commit in Chromium) and waits for hits.
fn type_query(tab: &mut dyn Tab, q: &str) -> Result<()> {
    tab.type_into("#search-box", q)?;
    wait(
        tab,
        &format!(
            "document.getElementById('search-panel') && document.getElementById('search-panel').dataset.query === {q} \
             && !document.getElementById('search-panel').hidden && document.querySelector('#search-results a')",
            q = js(q)
        ),
        &format!("results for {q}"),
        10,
    )
}

/// After a click on a hit: the page at `want` (path and `#article`) has
/// loaded with no error, and its article is at the top of the screen.
fn landed(tab: &mut dyn Tab, want: &str) -> Result<()> {
    wait(
        tab,
        &format!(
            "document.readyState === 'complete' && decodeURIComponent(location.href).endsWith({})",
            js(want)
        ),
        &format!("{want} to open"),
        10,
    )?;
    wait(
        tab,
        "(el => { const r = el.getBoundingClientRect(); return r.top > -5 && r.top < 120; })\
         (document.getElementById(decodeURIComponent(location.hash.slice(1))))",
        &format!("the article of {want} at the top of the screen"),
        5,
    )?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{want}: {found:#?}"))
}

/// The header box finds a Simplified phrase and opens the hit at its
/// article; the search page finds a Traditional one and does the same.
pub fn search_finds_simplified_and_traditional(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let tab = e.tab();
    tab.viewport(1280, 900)?;
    open(tab, &url(&c.sample, "cases/index.html"))?;
    type_query(tab, "一月底前制定全年工作计划")?;
    let want = format!("{REGULATION}#第十五条");
    let first = tab.eval("decodeURIComponent(document.querySelector('#search-results a').href)")?;
    ensure(first.as_str().is_some_and(|h| h.ends_with(&want)), || {
        format!("the box's first hit should be {want}: {first}")
    })?;
    tab.eval("document.querySelector('#search-results a').click()")?;
    landed(tab, &want)?;

    // The search page finds the Simplified phrase too.
    open(
        tab,
        &format!(
            "{}?q=%E4%B8%80%E6%9C%88%E5%BA%95%E5%89%8D%E5%88%B6%E5%AE%9A%E5%85%A8%E5%B9%B4%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92",
            url(&c.sample, "search/index.html")
        ),
    )?;
    wait(
        tab,
        &format!(
            "Array.from(document.querySelectorAll('#search-results .search-item a')).some(a => decodeURIComponent(a.href).endsWith({}))",
            js(&want)
        ),
        &format!("{want} among the search page's hits"),
        10,
    )?;
    // Traditional, on the search page, for a regulation written in
    // Traditional characters.
    open(
        tab,
        &format!(
            "{}?q=%E5%BE%B5%E6%B1%82%E9%BB%A8%E5%93%A1%E5%92%8C%E7%BE%A4%E7%9C%BE%E6%84%8F%E8%A6%8B",
            url(&c.sample, "search/index.html")
        ),
    )?;
    let want = format!("{TRADITIONAL}#第十条");
    let link = format!(
        "Array.from(document.querySelectorAll('#search-results .search-item a')).find(a => decodeURIComponent(a.href).endsWith({}))",
        js(&want)
    );
    wait(
        tab,
        &link,
        &format!("{want} among the search page's hits"),
        10,
    )?;
    tab.eval(&format!("{link}.click()"))?;
    landed(tab, &want)
}

/// `[checked of each item]` of the checklist in view, once it has run.
fn ticks(tab: &mut dyn Tab) -> Result<Value> {
    tab.eval("Array.from(document.querySelectorAll('[data-checklist] input[data-item]'), i => i.checked)")
}

/// A tick survives a reload; a site beside it with a checklist at the same
/// path does not see it.
pub fn a_tick_survives_a_reload_and_stays_in_its_site(
    e: &mut dyn Engine,
    c: &Copies,
) -> Result<()> {
    let tab = e.tab();
    let page = "checklists/meeting/index.html";
    let (first, second) = (url(&c.first, page), url(&c.second, page));
    // Clean slate: the session is shared, and a rerun finds old ticks.
    for u in [&first, &second] {
        open(tab, u)?;
        tab.eval("localStorage.clear()")?;
    }
    open(tab, &first)?;
    ensure(ticks(tab)? == serde_json::json!([false, false]), || {
        "the list starts ticked".into()
    })?;
    tab.eval("document.querySelector('[data-checklist] input[data-item]').click()")?;
    ensure(ticks(tab)? == serde_json::json!([true, false]), || {
        "the click did not tick".into()
    })?;
    // A member reloads seconds later, not in the same millisecond.
    tab.eval("new Promise(r => setTimeout(r, 500))")?;
    open(tab, &first)?;
    wait(
        tab,
        "document.querySelector('[data-checklist] input[data-item]').checked",
        "the tick after a reload",
        3,
    )?;
    ensure(
        tab.eval("document.querySelector('[data-checklist-warning]') === null || document.querySelector('[data-checklist-warning]').hidden")?
            == true,
        || "the page says the ticks cannot be saved".into(),
    )?;
    open(tab, &second)?;
    tab.eval("new Promise(r => setTimeout(r, 200))")?;
    ensure(ticks(tab)? == serde_json::json!([false, false]), || {
        "the other site's checklist at the same path shows the tick".into()
    })
}

/// The background's colour, for telling light from dark.
const BACKGROUND: &str = "getComputedStyle(document.body).backgroundColor";

/// The toggle switches to dark and the choice holds on the next page;
/// with no choice made, the page is dark when the system is.
pub fn dark_mode_follows_the_system_and_the_toggle(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let home = url(&c.sample, "index.html");
    let theme = "document.documentElement.dataset.theme || ''";
    let tab = e.tab();
    open(tab, &home)?;
    tab.eval("localStorage.clear()")?;
    open(tab, &home)?;
    let light = tab.eval(BACKGROUND)?;
    ensure(tab.eval(theme)? == "", || {
        "a light system gives a theme before any choice".into()
    })?;
    tab.eval("document.querySelector('[data-theme-toggle]').click()")?;
    ensure(tab.eval(theme)? == "dark", || {
        "the toggle does not switch to dark".into()
    })?;
    let dark = tab.eval(BACKGROUND)?;
    ensure(dark != light, || {
        format!("dark background {dark} is the light one")
    })?;
    open(tab, &url(&c.sample, REGULATION))?;
    ensure(
        tab.eval(theme)? == "dark" && tab.eval(BACKGROUND)? == dark,
        || "the choice is lost on the next page".into(),
    )?;
    tab.eval("document.querySelector('[data-theme-toggle]').click()")?;
    ensure(tab.eval(BACKGROUND)? == light, || {
        "toggled back, the page is not light".into()
    })?;
    tab.eval("localStorage.clear()")?;
    let name = e.name();
    e.dark_system(&mut |tab| {
        open(tab, &home)?;
        ensure(
            tab.eval(theme)? == "dark" && tab.eval(BACKGROUND)? == dark,
            || format!("{name}: a dark system does not give the dark theme"),
        )
    })
}

/// Follows the first link in the text of the case in view to an article
/// of a regulation, and checks it lands there.
fn follow_an_article_link(tab: &mut dyn Tab, selector: &str) -> Result<()> {
    let href = tab.eval(&format!(
        "(() => {{ const a = Array.from(document.querySelectorAll({})).find(a => /#第/.test(decodeURIComponent(a.getAttribute('href')))); \
           if (!a) return null; a.click(); return decodeURIComponent(a.href); }})()",
        js(selector)
    ))?;
    let href = href.as_str().ok_or("no link to an article in the case")?;
    let want = href.rsplit_once('/').map_or(href, |(_, f)| f).to_string();
    landed(tab, &want)
}

/// Ticks the first unticked item of the checklist in view, reloads `page`
/// and checks the tick is there.
fn tick_survives_reload(tab: &mut dyn Tab, page: &str) -> Result<()> {
    let item = tab.eval(
        "(() => { const i = document.querySelector('[data-checklist] input[data-item]:not(:checked)'); \
           i.click(); return i.getAttribute('data-item'); })()",
    )?;
    let item = item
        .as_str()
        .ok_or("no unticked checklist item")?
        .to_string();
    tab.eval("new Promise(r => setTimeout(r, 500))")?;
    open(tab, page)?;
    wait(
        tab,
        &format!("document.querySelector('input[data-item=\"{item}\"]').checked"),
        "the tick after a reload",
        3,
    )
}

/// The unzipped copy from `zhiku pack`: a case's link to an article, the
/// search box and a checklist tick.
pub fn the_unzipped_pack_works(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let dir = &c.packed().unzipped;
    let tab = e.tab();
    tab.viewport(360, 740)?;
    open(tab, &url(dir, "cases/cun-sanhui-yike/index.html"))?;
    follow_an_article_link(tab, "main .content a")?;
    type_query(tab, "徵求黨員和群眾意見")?;
    let want = format!("{TRADITIONAL}#第十条");
    let link = format!(
        "Array.from(document.querySelectorAll('#search-results a')).find(a => decodeURIComponent(a.href).endsWith({}))",
        js(&want)
    );
    wait(tab, &link, &format!("{want} among the hits"), 5)?;
    tab.eval(&format!("{link}.click()"))?;
    landed(tab, &want)?;
    let checklist = url(dir, "checklists/zhibu-dangyuan-dahui/index.html");
    open(tab, &checklist)?;
    tab.eval("localStorage.clear()")?;
    open(tab, &checklist)?;
    tick_survives_reload(tab, &checklist)?;
    tab.eval("localStorage.clear()").map(|_| ())
}

/// The single-file edition at a phone's width: an in-file link to an
/// article, the search box and a checklist tick.
pub fn the_single_file_works(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let file = crate::sites::file_url(&c.packed().single, "");
    let file = file.trim_end_matches('/');
    let tab = e.tab();
    tab.viewport(360, 740)?;
    open(tab, file)?;
    tab.eval("localStorage.clear()")?;
    open(tab, file)?;
    let widths = tab.eval(WIDTHS)?;
    ensure(widths[0] == widths[1], || {
        format!("the file scrolls sideways at 360px: {widths}")
    })?;
    // In-file links land on the article within the regulation's part.
    let href = tab.eval(
        "(() => { const a = Array.from(document.querySelectorAll('article.kind-case .content a'))\
           .find(a => /^#p-.*#.+/.test(a.getAttribute('href'))); if (!a) return null; a.click(); return a.getAttribute('href'); })()",
    )?;
    let href = href.as_str().ok_or("no in-file link to an article")?;
    let (part, article) = href
        .trim_start_matches('#')
        .split_once('#')
        .unwrap_or_default();
    let at_top = |part: &str, article: &str| {
        format!(
            "(el => {{ const r = el.getBoundingClientRect(); return r.top > -5 && r.top < 120; }})\
             (Array.from(document.getElementById({}).querySelectorAll('[id]')).find(e => e.id === decodeURIComponent({})))",
            js(part),
            js(article)
        )
    };
    wait(
        tab,
        &at_top(part, article),
        &format!("{href} at the top"),
        5,
    )?;
    tick_survives_reload(tab, file)?;
    // Search lands on the article inside the file.
    tab.type_into("#search-box", "一月底前制定全年工作计划")?;
    wait(
        tab,
        "document.querySelector('#search-results a')",
        "results",
        10,
    )?;
    let first = tab.eval(
        "(a => { a.click(); return decodeURIComponent(a.getAttribute('href')); })(document.querySelector('#search-results a'))",
    )?;
    let first = first.as_str().unwrap_or_default();
    let (part, article) = first
        .trim_start_matches('#')
        .split_once('#')
        .unwrap_or_default();
    ensure(article == "第十五条", || {
        format!("the first hit is {first}")
    })?;
    wait(
        tab,
        &at_top(part, article),
        &format!("{first} at the top"),
        5,
    )?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{found:#?}"))?;
    tab.eval("localStorage.clear()").map(|_| ())
}

/// The print page (every page in one, for paper) loads with no error and
/// nothing sticking out, on a screen; printed, its navigation is hidden.
pub fn the_print_page_lays_out(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let engine = e.name();
    let tab = e.tab();
    tab.viewport(1280, 900)?;
    open(tab, &url(&c.sample, "print/index.html"))?;
    let widths = tab.eval(WIDTHS)?;
    ensure(widths[0] == widths[1], || {
        format!("the print page scrolls sideways: {widths}")
    })?;
    let articles = tab.eval("document.querySelectorAll('main article').length")?;
    ensure(articles.as_u64().is_some_and(|n| n >= 3), || {
        format!("the print page has {articles} articles")
    })?;
    // Printed (to PDF, where the engine can): three pages of the three
    // asked for.
    let Some(pdf) = tab.print_pdf()? else {
        return print_rules_lay_out(tab, engine, c);
    };
    let pages = pdf_pages(&pdf);
    if pages != 3 {
        // Kept for a person to open: which of the PDF and the counting
        // is wrong.
        let kept = crate::shots::dir().join(format!("print-{}.pdf", engine.to_lowercase()));
        let _ = std::fs::create_dir_all(crate::shots::dir());
        let _ = std::fs::write(&kept, &pdf);
    }
    ensure(pdf.starts_with(b"%PDF") && pages == 3, || {
        format!(
            "printed, {} bytes, {pages} pages (kept in target/screenshots/)",
            pdf.len()
        )
    })
}

/// Where the engine cannot print (WebKitGTK's driver has no print
/// command), the page's print rules are applied to the screen instead:
/// the style sheet, read from the copy, added again with `@media print`
/// made `@media screen` (a page from disk may not read its own style
/// sheet's rules: they count as another origin's). Then at the width of A4
/// paper inside its margins (about 660 CSS pixels) the chrome is gone,
/// each document starts a new sheet, nothing sticks out sideways, and a
/// screenshot is kept for a person to look at.
fn print_rules_lay_out(tab: &mut dyn Tab, engine: &str, c: &Copies) -> Result<()> {
    let sheet = c.sample.join("assets/zhiku.css");
    let css = std::fs::read_to_string(&sheet).map_err(|e| format!("{}: {e}", sheet.display()))?;
    let blocks = css.matches("@media print").count();
    ensure(blocks >= 1, || {
        format!("{}: no print rules", sheet.display())
    })?;
    let as_screen = css.replace("@media print", "@media screen");
    tab.eval(&format!(
        "document.head.append(Object.assign(document.createElement('style'), {{ textContent: {} }}))",
        Value::from(as_screen)
    ))?;
    tab.viewport(660, 900)?;
    let laid = tab.eval(
        "(() => { const shown = s => [...document.querySelectorAll(s)]
            .filter(e => getComputedStyle(e).display !== 'none').length;
          const docs = [...document.querySelectorAll('.print-doc')];
          return { chrome: shown('.site-header, .site-nav, .print-tools, .theme-toggle'),
                   docs: docs.length,
                   breaks: docs.filter(d => ['page', 'always'].includes(getComputedStyle(d).breakBefore
                     || getComputedStyle(d).pageBreakBefore)).length,
                   background: getComputedStyle(document.body).backgroundColor }; })()",
    )?;
    ensure(
        laid["chrome"] == 0
            && laid["docs"].as_u64().is_some_and(|n| n >= 2)
            && laid["breaks"] == laid["docs"]
            && laid["background"] == "rgb(255, 255, 255)",
        || format!("{engine}: with the print rules applied: {laid}"),
    )?;
    let widths = tab.eval(WIDTHS)?;
    ensure(widths[0] == widths[1], || {
        format!("{engine}: printed at A4 width the page scrolls sideways: {widths}")
    })?;
    let path = crate::shots::dir().join(format!("print-{}.png", engine.to_lowercase()));
    let _ = std::fs::remove_file(&path);
    // WebKit paints the resized, restyled page a few frames later.
    tab.eval("new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 200))")?;
    tab.screenshot(&path)?;
    let png = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    ensure(png.starts_with(b"\x89PNG") && png.len() > 10_000, || {
        format!(
            "{}: {} bytes, not a screenshot of a page",
            path.display(),
            png.len()
        )
    })?;
    println!(
        "  ({engine}: no print command; the print rules applied on screen, {} kept)",
        path.display()
    );
    Ok(())
}

/// The number of `/Type /Page` objects (not `/Pages`) in a PDF, written
/// with or without the space, in the open or in compressed object streams
/// (Firefox's).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut text = pdf.to_vec();
    let mut at = 0;
    // Every stream: the keyword `stream` after a dictionary's `>>` (and
    // any whitespace), then an end of line, whichever one the writer uses.
    while let Some(found) = find(&pdf[at..], b"stream").map(|i| at + i) {
        let after = found + b"stream".len();
        let before = pdf[..found].trim_ascii_end();
        let eol = pdf[after..]
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        if !before.ends_with(b">>") || eol == 0 {
            at = after;
            continue;
        }
        let start = after + eol;
        let end = find(&pdf[start..], b"endstream").map_or(pdf.len(), |i| start + i);
        let data = pdf[start..end].trim_ascii_end();
        if let Ok(inflated) = miniz_oxide::inflate::decompress_to_vec_zlib(data) {
            text.extend_from_slice(&inflated);
        }
        at = end;
    }
    (0..text.len())
        .filter(|&i| text[i..].starts_with(b"/Type"))
        .filter(|&i| {
            let rest = &text[i + 5..];
            let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
            rest.starts_with(b"/Page") && !rest[5..].starts_with(b"s")
        })
        .count()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What the engine offers a page from disk, printed for the README, and
/// the theme's fallbacks where it lacks something: search without
/// DecompressionStream, a checklist whose storage throws.
pub fn fallbacks_work_where_an_api_is_missing(e: &mut dyn Engine, c: &Copies) -> Result<()> {
    let name = e.name();
    let tab = e.tab();
    tab.viewport(1280, 900)?;
    open(tab, &url(&c.sample, "cases/index.html"))?;
    let has = tab.eval(
        "(async () => { let ls = 'no'; try { localStorage.setItem('zhiku:probe', '1'); \
           ls = localStorage.getItem('zhiku:probe') === '1' ? 'yes' : 'no'; localStorage.removeItem('zhiku:probe'); } catch (e) { ls = 'throws ' + e.name; } \
           let sw = 'serviceWorker' in navigator ? 'present' : 'absent'; \
           if (sw === 'present') { try { await navigator.serviceWorker.register('../sw.js'); sw += ', registers'; } \
             catch (e) { sw += ', register rejects (' + e.name + ')'; } } \
           return 'DecompressionStream ' + (typeof DecompressionStream === 'function' ? 'yes' : 'no') \
             + '; localStorage ' + ls + '; serviceWorker ' + sw + '; origin ' + location.origin; })()",
    )?;
    println!(
        "  ({name} from file://: {})",
        has.as_str().unwrap_or_default()
    );
    // Search with the runtime's own inflate.
    tab.eval("window.DecompressionStream = undefined")?;
    type_query(tab, "一月底前制定全年工作计划")?;
    let first = tab.eval("decodeURIComponent(document.querySelector('#search-results a').href)")?;
    let want = format!("{REGULATION}#第十五条");
    ensure(first.as_str().is_some_and(|h| h.ends_with(&want)), || {
        format!("without DecompressionStream the first hit is {first}")
    })?;
    // A checklist whose storage throws still ticks, and says it cannot
    // keep the ticks.
    let page = url(&c.blocked, "checklists/meeting/index.html");
    open(tab, &page)?;
    tab.eval("document.querySelector('[data-checklist] input[data-item]').click()")?;
    ensure(ticks(tab)? == serde_json::json!([true, false]), || {
        "without storage the click does not tick".into()
    })?;
    ensure(
        tab.eval("!document.querySelector('[data-checklist-warning]').hidden")? == true,
        || "without storage there is no note that ticks are not kept".into(),
    )?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{page}: {found:#?}"))
}
