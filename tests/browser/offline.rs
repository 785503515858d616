//! The installable offline site (issue 8): over http the service worker
//! stores visited pages and, on request, the whole site, which then reads
//! with the server stopped; the update check sees a changed build. From
//! disk none of it shows or complains.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::shots;
use crate::sites::{Server, WIDTHS, axe_source, build_site, ensure, file_url};

/// A page the tests never open before the server stops.
const UNVISITED: &str = "regulations/zhibu-gongzuo-guiding/index.html";

/// Polls `expr` (a value or a promise) until it is truthy, for `secs`
/// seconds at most. Errors while a new document loads count as "not yet".
fn wait_for(page: &mut Page<'_>, expr: &str, what: &str, secs: u64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let check = format!(
        "(async () => {{ try {{ return !!(await ({expr})); }} catch (e) {{ return false; }} }})()"
    );
    loop {
        if let Ok(Value::Bool(true)) = page.eval(&check) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let status = page.eval(STATUS).unwrap_or_default();
            let worker = ask_worker(page, "status").unwrap_or_else(Value::from);
            return Err(format!(
                "timed out waiting for {what} (`{expr}`); the control says {status}, \
                 the worker {worker}"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Navigates and checks that nothing went wrong but requests to the test
/// server itself.
fn open(page: &mut Page<'_>, url: &str) -> Result<()> {
    page.goto(url)?;
    let problems: Vec<String> = page
        .problems()
        .into_iter()
        .filter(|p| !p.starts_with("request to another host: http://127.0.0.1:"))
        .collect();
    ensure(problems.is_empty(), || format!("{url}: {problems:#?}"))
}

/// The text of the offline control's status line.
const STATUS: &str = "(document.querySelector('[data-offline-status]') || {}).textContent";
const SAVE_BUTTON: &str = "document.querySelector('[data-offline-save]')";

/// Asks the service worker whether the site changed since it was saved.
fn check_for_update(page: &mut Page<'_>) -> Result<Value> {
    ask_worker(page, "check")
}

/// Sends the worker a message of `kind` and returns its answer (the
/// message that echoes the question's id: the page asks too).
fn ask_worker(page: &mut Page<'_>, kind: &str) -> Result<Value> {
    page.eval(&format!(
        "new Promise((resolve, reject) => {{ const sw = navigator.serviceWorker; \
         const id = 'test-' + Math.random(); \
         const timer = setTimeout(() => reject(new Error('no answer to {kind}')), 10000); \
         sw.addEventListener('message', function answer(e) {{ \
           if (e.data && e.data.id === id) {{ \
             clearTimeout(timer); sw.removeEventListener('message', answer); resolve(e.data); }} }}); \
         sw.controller.postMessage({{ type: '{kind}', force: true, id: id }}); }})"
    ))
}

/// Opens the home page over http and waits until the worker controls it
/// and the control shows.
fn open_controlled(page: &mut Page<'_>, base: &str) -> Result<()> {
    open(page, &format!("{base}/index.html"))?;
    wait_for(
        page,
        "navigator.serviceWorker.controller",
        "the service worker to control the page",
        10,
    )?;
    wait_for(
        page,
        &format!("!document.querySelector('[data-offline]').hidden && {SAVE_BUTTON}.offsetParent"),
        "the save button to show",
        5,
    )
}

fn click_save_and_wait(page: &mut Page<'_>, label: &str) -> Result<()> {
    let text = page.eval(&format!("{SAVE_BUTTON}.textContent"))?;
    ensure(text == label, || {
        format!("the button says {text}, expected {label}")
    })?;
    page.eval(&format!("{SAVE_BUTTON}.click()"))?;
    wait_for(
        page,
        &format!("{STATUS}.includes('断网时也能阅读全站') && !{SAVE_BUTTON}.offsetParent"),
        "the whole site to be saved",
        30,
    )
}

pub fn a_saved_site_reads_offline_and_updates(ctx: &mut Ctx) -> Result<()> {
    // A build of its own: the test changes files on disk.
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = dir.path().join("site");
    build_site(Path::new(env!("CARGO_MANIFEST_DIR")), &out);
    let listed = std::fs::read_to_string(out.join("offline.json")).map_err(|e| e.to_string())?;
    let mut list: Value = serde_json::from_str(&listed).map_err(|e| e.to_string())?;
    let files = list["files"].as_array().map_or(0, Vec::len);

    let server = Server::start(out.clone());
    let base = format!("http://127.0.0.1:{}", server.port);
    let mut page = ctx.browser.new_page()?;
    open_controlled(&mut page, &base)?;
    click_save_and_wait(&mut page, "保存全部以便离线阅读")?;
    let status = page.eval(STATUS)?;
    let stored = status
        .as_str()
        .and_then(|s| s.strip_prefix("已保存 "))
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    ensure(stored.is_some_and(|n| n >= files), || {
        format!("{files} files listed, the control says {status}")
    })?;
    ensure(status.as_str().is_some_and(|s| s.contains("MB")), || {
        format!("no size in {status}")
    })?;

    let answer = check_for_update(&mut page)?;
    ensure(answer["update"] == false, || {
        format!("nothing changed, yet: {answer}")
    })?;

    // The trainer rebuilds: one page changes, and so do its revision and
    // the build id.
    let changed = "cases/index.html";
    let html = std::fs::read_to_string(out.join(changed)).map_err(|e| e.to_string())?;
    let html = html.replacen("</main>", "<p id=\"changed\">这一页改过了。</p></main>", 1);
    std::fs::write(out.join(changed), html).map_err(|e| e.to_string())?;
    for f in list["files"].as_array_mut().into_iter().flatten() {
        if f[0] == changed {
            f[1] = Value::from("000000000001");
        }
    }
    list["build"] = Value::from("000000000002");
    std::fs::write(out.join("offline.json"), list.to_string()).map_err(|e| e.to_string())?;
    let answer = check_for_update(&mut page)?;
    ensure(answer["update"] == true, || {
        format!("the site changed, but: {answer}")
    })?;
    wait_for(
        &mut page,
        &format!("{STATUS}.includes('网站已更新') && {SAVE_BUTTON}.offsetParent"),
        "the update to be offered",
        5,
    )?;
    click_save_and_wait(&mut page, "更新离线副本")?;
    let answer = check_for_update(&mut page)?;
    ensure(answer["update"] == false, || {
        format!("updated, but still: {answer}")
    })?;

    // The network goes away.
    drop(server);
    ensure(
        std::net::TcpStream::connect(("127.0.0.1", base_port(&base))).is_err(),
        || "the server still answers".into(),
    )?;
    open(&mut page, &format!("{base}/{UNVISITED}"))?;
    let h1 = page.eval("(document.querySelector('main h1') || {}).textContent")?;
    ensure(h1.as_str().is_some_and(|t| !t.trim().is_empty()), || {
        format!("{UNVISITED} offline: no heading")
    })?;
    let border =
        page.eval("getComputedStyle(document.querySelector('.site-header')).borderTopColor")?;
    ensure(border == "rgb(168, 35, 27)", || {
        format!("{UNVISITED} offline: the stylesheet did not load ({border})")
    })?;
    open(&mut page, &format!("{base}/{changed}"))?;
    ensure(
        page.eval_bool("document.getElementById('changed') !== null")?,
        || format!("{changed} offline is the copy from before the update"),
    )?;
    // The search index was saved too.
    open(
        &mut page,
        &format!("{base}/search/index.html?q=%E5%85%9A%E5%91%98"),
    )?;
    wait_for(
        &mut page,
        "document.querySelector('#search-results .search-item')",
        "search results offline",
        10,
    )
}

fn base_port(base: &str) -> u16 {
    base.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

pub fn chromium_finds_the_site_installable(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let server = Server::start(out);
    let base = format!("http://127.0.0.1:{}", server.port);
    let mut page = ctx.browser.new_page()?;
    open_controlled(&mut page, &base)?;
    let manifest = page.call("Page.getAppManifest", serde_json::json!({}))?;
    ensure(
        manifest["errors"].as_array().is_some_and(Vec::is_empty),
        || format!("the manifest has errors: {}", manifest["errors"]),
    )?;
    let parsed = &manifest["manifest"];
    ensure(parsed["startUrl"] == format!("{base}/index.html"), || {
        format!("start URL {}", parsed["startUrl"])
    })?;
    ensure(parsed["scope"] == format!("{base}/"), || {
        format!("scope {}", parsed["scope"])
    })?;
    // A browser context of a test is "incognito", where nothing installs;
    // that is the only objection allowed.
    let found = page.call("Page.getInstallabilityErrors", serde_json::json!({}))?;
    let errors: Vec<&Value> = found["installabilityErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["errorId"] != "in-incognito")
        .collect();
    ensure(errors.is_empty(), || {
        format!("Chromium would not install the site: {errors:?}")
    })
}

pub fn visited_pages_read_offline_without_saving(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let server = Server::start(out);
    let base = format!("http://127.0.0.1:{}", server.port);
    let mut page = ctx.browser.new_page()?;
    open_controlled(&mut page, &base)?;
    open(&mut page, &format!("{base}/cases/index.html"))?;
    // The first page was loaded before the worker took over; it is stored
    // once the worker has fetched it again.
    wait_for(
        &mut page,
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match(new URL('../index.html', location.href).href))))).then(rs => rs.some(Boolean))",
        "the first page to be stored",
        5,
    )?;
    drop(server);
    for rel in ["cases/index.html", "index.html"] {
        open(&mut page, &format!("{base}/{rel}"))?;
        ensure(
            page.eval_bool("document.querySelector('main h1') !== null")?,
            || format!("{rel}, visited, does not read offline"),
        )?;
    }
    // Nothing was saved beyond what was visited.
    let unvisited = page.goto(&format!("{base}/{UNVISITED}"));
    page.problems();
    ensure(unvisited.is_err(), || {
        format!("{UNVISITED} loaded offline without being saved or visited")
    })
}

pub fn from_disk_there_is_no_offline_control(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let mut page = ctx.browser.new_page()?;
    for rel in ["index.html", UNVISITED] {
        open(&mut page, &file_url(&out, rel))?;
        ensure(
            page.eval_bool(&format!(
                "document.querySelector('[data-offline]').hidden && !{SAVE_BUTTON}.offsetParent"
            ))?,
            || format!("{rel}: the offline control shows from disk"),
        )?;
        ensure(
            page.eval_bool("!document.querySelector('script[src$=\"offline.js\"]')")?,
            || format!("{rel}: offline.js was loaded from disk"),
        )?;
        // The manifest and icons are linked, relatively.
        let manifest =
            page.eval("document.querySelector('link[rel=manifest]').getAttribute('href')")?;
        ensure(
            manifest
                .as_str()
                .is_some_and(|h| h.ends_with("manifest.webmanifest") && !h.starts_with('/')),
            || format!("{rel}: manifest link {manifest}"),
        )?;
        page.eval("new Promise(r => setTimeout(r, 300))")?;
        let problems = page.problems();
        ensure(problems.is_empty(), || format!("{rel}: {problems:#?}"))?;
    }
    Ok(())
}

pub fn the_control_is_accessible_and_fits_a_phone(ctx: &mut Ctx) -> Result<()> {
    let out = ctx.sites.sample.clone();
    let server = Server::start(out);
    let base = format!("http://127.0.0.1:{}", server.port);
    let axe = axe_source();
    let mut page = ctx.browser.new_page()?;
    page.viewport(360, 740)?;
    open_controlled(&mut page, &base)?;
    let mut found = Vec::new();
    for (state, theme) in [("unsaved", "light"), ("saved", "light"), ("saved", "dark")] {
        if state == "saved" && page.eval_bool(&format!("!!{SAVE_BUTTON}.offsetParent"))? {
            click_save_and_wait(&mut page, "保存全部以便离线阅读")?;
        }
        page.eval(&format!(
            "document.documentElement.dataset.theme = '{theme}'"
        ))?;
        let widths = page.eval(WIDTHS)?;
        ensure(widths[0] == widths[1], || {
            format!(
                "{state} {theme}: scroll width {} > viewport {}",
                widths[0], widths[1]
            )
        })?;
        page.eval(&axe)?;
        let violations = page.eval(
            "axe.run(document.querySelector('.site-footer'), { resultTypes: ['violations'] }).then(r => r.violations \
             .filter(v => v.impact === 'serious' || v.impact === 'critical') \
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
        )?;
        for v in violations.as_array().into_iter().flatten() {
            found.push(format!(
                "{state} {theme}: {}",
                v.as_str().unwrap_or_default()
            ));
        }
        page.eval("document.querySelector('[data-offline]').scrollIntoView({ block: 'center' })")?;
        shots::capture(
            &mut page,
            &format!("offline-{state}-{theme}-360.png"),
            (360, 740),
        )?;
    }
    ensure(found.is_empty(), || found.join("\n"))
}
