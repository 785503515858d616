//! `zhiku serve` in a real browser (issue 7): a broken save shows an
//! overlay that says where and what, as text; the fix clears it; a
//! stylesheet change is applied without a reload.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::sites::{ensure, small_site};

/// `zhiku serve` of a small site, on an ephemeral port.
struct Serving {
    _dir: tempfile::TempDir,
    root: PathBuf,
    child: Child,
    url: String,
    out: Option<PathBuf>,
}

impl Serving {
    fn start() -> Serving {
        let (dir, _) = small_site(&[
            (
                "site.toml",
                "title = \"预览测试\"\nsite_id = \"serve-test\"\n",
            ),
            ("content/_index.md", "---\ntitle: 首页\n---\n\n首页正文。\n"),
            ("content/a.md", "---\ntitle: 甲页\n---\n\n甲页正文。\n"),
        ]);
        let root = dir.path().join("site");
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhiku"))
            .env("ZHIKU_LANG", "en")
            .args(["serve", ".", "-p", "0"])
            .current_dir(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("zhiku serve");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(std::result::Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut url = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        let url = url
            .split(" at ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_default()
            .to_string();
        let out = rx
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .into_iter()
            .chain(rx.try_iter())
            .find_map(|l| l.strip_prefix("Output (not public/): ").map(PathBuf::from));
        Serving {
            _dir: dir,
            root,
            child,
            url,
            out,
        }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(out) = &self.out {
            let _ = std::fs::remove_dir_all(out);
        }
    }
}

/// Polls `expr` (a value or a promise) until it is truthy.
fn wait_for(page: &mut Page<'_>, expr: &str, what: &str) -> Result<()> {
    crate::sites::wait_until(page, expr, what, Duration::from_secs(20))
}

pub fn a_broken_save_shows_an_overlay_until_fixed(ctx: &mut Ctx) -> Result<()> {
    let s = Serving::start();
    ensure(s.url.starts_with("http://127.0.0.1:"), || {
        format!("no URL printed: {:?}", s.url)
    })?;
    let mut page = ctx.browser.new_page()?;
    page.goto(&format!("{}a/index.html", s.url))?;
    wait_for(
        &mut page,
        "document.body.textContent.includes('甲页正文')",
        "the page",
    )?;
    // The live socket is open before the save.
    std::thread::sleep(Duration::from_millis(500));
    s.write(
        "content/a.md",
        "---\ntitle: [甲页\n---\n\n<img src=x onerror=\"window.__ran=1\">\n",
    );
    wait_for(
        &mut page,
        "document.getElementById('zhiku-live-errors')",
        "the error overlay",
    )?;
    let text = page.eval("document.getElementById('zhiku-live-errors').textContent")?;
    let text = text.as_str().unwrap_or_default().to_string();
    ensure(text.contains("content/a.md"), || {
        format!("the overlay does not name the file: {text}")
    })?;
    ensure(text.contains(":2"), || {
        format!("the overlay does not give the line: {text}")
    })?;
    // The site is Chinese (the default `language`): so is the overlay's
    // title, whatever the terminal's language.
    ensure(
        text.contains("zhiku：网站没有生成（1 处错误）"),
        || format!("the overlay's title is not in the site's language: {text}"),
    )?;
    ensure(
        page.eval_bool("!document.querySelector('#zhiku-live-errors img') && !window.__ran")?,
        || "content in the overlay was parsed as HTML".into(),
    )?;
    s.write("content/a.md", "---\ntitle: 甲页\n---\n\n修好后的正文。\n");
    wait_for(
        &mut page,
        "!document.getElementById('zhiku-live-errors') && document.body.textContent.includes('修好后的正文')",
        "the overlay to go and the fixed page to load",
    )
}

pub fn a_stylesheet_change_applies_without_a_reload(ctx: &mut Ctx) -> Result<()> {
    let s = Serving::start();
    let mut page = ctx.browser.new_page()?;
    page.goto(&format!("{}a/index.html", s.url))?;
    wait_for(
        &mut page,
        "document.body.textContent.includes('甲页正文')",
        "the page",
    )?;
    page.eval("window.__still_here = 1")?;
    std::thread::sleep(Duration::from_millis(500));
    let theme_css = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/assets/zhiku.css"),
    )
    .unwrap();
    s.write(
        "static/assets/zhiku.css",
        &format!("{theme_css}\nbody {{ outline: 7px solid rgb(1, 2, 3); }}\n"),
    );
    wait_for(
        &mut page,
        "getComputedStyle(document.body).outlineWidth === '7px'",
        "the new stylesheet",
    )?;
    ensure(page.eval_bool("window.__still_here === 1")?, || {
        "the page reloaded for a stylesheet change".into()
    })
}

pub fn a_reload_keeps_the_scroll_position(ctx: &mut Ctx) -> Result<()> {
    let s = Serving::start();
    let long: String = (1..=120)
        .map(|i| format!("第{i}段：支部按时召开组织生活会，会前征求意见。\n\n"))
        .collect();
    s.write("content/a.md", &format!("---\ntitle: 甲页\n---\n\n{long}"));
    let mut page = ctx.browser.new_page()?;
    page.viewport(800, 600)?;
    page.goto(&format!("{}a/index.html", s.url))?;
    wait_for(
        &mut page,
        "document.body.textContent.includes('第120段')",
        "the long page",
    )?;
    page.eval("window.scrollTo(0, 2000); window.__before_reload = 1")?;
    std::thread::sleep(Duration::from_millis(300));
    s.write(
        "content/a.md",
        &format!("---\ntitle: 甲页\n---\n\n{long}最后加的一句。\n"),
    );
    wait_for(
        &mut page,
        "!window.__before_reload && document.body.textContent.includes('最后加的一句')",
        "the page to reload with the edit",
    )?;
    wait_for(
        &mut page,
        "Math.abs(window.scrollY - 2000) < 50",
        "the scroll position to be restored",
    )
}

/// The dev server's pages change under the editor: a service worker
/// serving stored copies would hide edits. None is registered there, and
/// one left from a build served at the same address is removed.
pub fn no_service_worker_under_the_dev_server(ctx: &mut Ctx) -> Result<()> {
    let s = Serving::start();
    let mut page = ctx.browser.new_page()?;
    page.goto(&format!("{}a/index.html", s.url))?;
    wait_for(
        &mut page,
        "document.body.textContent.includes('甲页正文')",
        "the page",
    )?;
    page.eval("new Promise(r => setTimeout(r, 300))")?;
    ensure(
        page.eval_bool(
            "!document.querySelector('script[src$=\"offline.js\"]') && document.querySelector('[data-offline]').hidden",
        )?,
        || "the offline control is set up under the dev server".into(),
    )?;
    // A worker left from before: registered by hand, then the page reloads.
    let registered = page.eval(
        "navigator.serviceWorker.register('../sw.js').then(() => navigator.serviceWorker.ready) \
         .then(() => navigator.serviceWorker.getRegistrations()).then(r => r.length)",
    )?;
    ensure(registered == 1, || {
        format!("registering by hand gave {registered} workers")
    })?;
    page.goto(&format!("{}a/index.html", s.url))?;
    wait_for(
        &mut page,
        "navigator.serviceWorker.getRegistrations().then(r => r.length === 0)",
        "the old worker to be removed",
    )
}
