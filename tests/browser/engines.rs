//! The offline copy in the engines members use (issue 18): WebKit
//! (WebKitGTK's MiniBrowser, as Safari's engine), Firefox and Chromium,
//! each given the same smoke checks through [`Tab`]. WebKit and Firefox
//! are driven over WebDriver (`webdriver.rs`), one browser session per
//! engine shared by the checks; Chromium through the CDP client.
//!
//! WebDriver classic has no console log, so script errors are caught in
//! the page itself: the engine tests open copies of the built sites in
//! which every HTML file starts with a small recorder (`RECORDER`) of
//! `error` events (uncaught exceptions and files that fail to load),
//! unhandled rejections and `console.error`, run before the page's own
//! scripts. The theme has no test hook; only the test's copy does.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cdp::{Page, Result};
use crate::sites::{ensure, small_site};
use crate::webdriver::{Driver, Session};
use crate::{Ctx, webdriver};

/// A page in a browser, whichever the engine.
pub trait Tab {
    /// Navigates and waits for the load event.
    fn goto(&mut self, url: &str) -> Result<()>;
    /// Evaluates a JavaScript expression, awaiting a promise.
    fn eval(&mut self, js: &str) -> Result<Value>;
    /// Makes the viewport `width` × `height` CSS pixels.
    fn viewport(&mut self, width: u32, height: u32) -> Result<()>;
    /// A PNG of the viewport.
    fn screenshot(&mut self, path: &Path) -> Result<()>;
    /// Types `text` into the element `selector`, replacing what it holds,
    /// as the keyboard (or an input method's commit) would.
    fn type_into(&mut self, selector: &str, text: &str) -> Result<()>;
    /// The first three pages of the page printed to PDF (all of them take
    /// seconds), `None` where the engine cannot print.
    fn print_pdf(&mut self) -> Result<Option<Vec<u8>>>;
}

impl Tab for Session {
    fn goto(&mut self, url: &str) -> Result<()> {
        Session::goto(self, url)
    }
    fn eval(&mut self, js: &str) -> Result<Value> {
        Session::eval(self, js)
    }
    fn viewport(&mut self, width: u32, height: u32) -> Result<()> {
        Session::viewport(self, width, height)
    }
    fn screenshot(&mut self, path: &Path) -> Result<()> {
        Session::screenshot(self, path)
    }
    fn type_into(&mut self, selector: &str, text: &str) -> Result<()> {
        let found = self.call(
            "POST",
            "element",
            json!({ "using": "css selector", "value": selector }),
        )?;
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .ok_or_else(|| format!("no element {selector}: {found}"))?
            .to_string();
        self.call("POST", &format!("element/{id}/clear"), json!({}))?;
        self.call(
            "POST",
            &format!("element/{id}/value"),
            json!({ "text": text }),
        )
        .map(|_| ())
    }
    fn print_pdf(&mut self) -> Result<Option<Vec<u8>>> {
        match self.call("POST", "print", json!({ "pageRanges": ["1-3"] })) {
            Ok(v) => Ok(Some(crate::cdp::base64_decode(
                v.as_str().unwrap_or_default(),
            ))),
            // WebKitGTK's driver has no print command.
            Err(e) if e.contains("unknown command") || e.contains("unsupported operation") => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

impl Tab for Page<'_> {
    fn goto(&mut self, url: &str) -> Result<()> {
        Page::goto(self, url)
    }
    fn eval(&mut self, js: &str) -> Result<Value> {
        Page::eval(self, js)
    }
    fn viewport(&mut self, width: u32, height: u32) -> Result<()> {
        Page::viewport(self, width, height)
    }
    fn screenshot(&mut self, path: &Path) -> Result<()> {
        Page::screenshot(self, path)
    }
    fn type_into(&mut self, selector: &str, text: &str) -> Result<()> {
        let focus = format!(
            "(b => {{ b.focus(); b.select(); }})(document.querySelector({}))",
            Value::from(selector)
        );
        Page::eval(self, &focus)?;
        self.call("Input.insertText", json!({ "text": text }))
            .map(|_| ())
    }
    fn print_pdf(&mut self) -> Result<Option<Vec<u8>>> {
        let v = self.call("Page.printToPDF", json!({ "pageRanges": "1-3" }))?;
        Ok(Some(crate::cdp::base64_decode(
            v["data"].as_str().unwrap_or_default(),
        )))
    }
}

/// What a check gets: a tab, and another in a browser whose system
/// setting is dark.
pub trait Engine {
    fn name(&self) -> &'static str;
    fn tab(&mut self) -> &mut dyn Tab;
    fn dark_system(&mut self, check: &mut dyn FnMut(&mut dyn Tab) -> Result<()>) -> Result<()>;
}

struct Chromium<'b> {
    page: Page<'b>,
}

impl Engine for Chromium<'_> {
    fn name(&self) -> &'static str {
        "Chromium"
    }
    fn tab(&mut self) -> &mut dyn Tab {
        &mut self.page
    }
    fn dark_system(&mut self, check: &mut dyn FnMut(&mut dyn Tab) -> Result<()>) -> Result<()> {
        let scheme =
            |dark: &str| json!({ "features": [{ "name": "prefers-color-scheme", "value": dark }] });
        self.page
            .call("Emulation.setEmulatedMedia", scheme("dark"))?;
        let result = check(&mut self.page);
        self.page.call("Emulation.setEmulatedMedia", scheme(""))?;
        result
    }
}

struct Driven<'a> {
    driver: &'a Driver,
    /// `None` only while a dark one is open: a driver runs one session.
    session: &'a mut Option<Session>,
}

impl Engine for Driven<'_> {
    fn name(&self) -> &'static str {
        self.driver.name
    }
    fn tab(&mut self) -> &mut dyn Tab {
        if self.session.is_none() {
            let fresh = self.driver.session(false);
            *self.session = Some(fresh.unwrap_or_else(|e| panic!("a new session: {e}")));
        }
        self.session.as_mut().unwrap()
    }
    fn dark_system(&mut self, check: &mut dyn FnMut(&mut dyn Tab) -> Result<()>) -> Result<()> {
        // Both drivers run one session at a time; the next `tab` starts
        // a light one again.
        drop(self.session.take());
        self.driver
            .session(true)
            .and_then(|mut dark| check(&mut dark))
    }
}

/// A started engine: its session is shared by every check.
struct Running {
    // Dropped before the driver.
    session: Option<Session>,
    driver: Driver,
}

/// The engines and copies of the sites, made at first use.
#[derive(Default)]
pub struct State {
    sites: Option<Copies>,
    webkit: Option<std::result::Result<Running, String>>,
    firefox: Option<std::result::Result<Running, String>>,
}

/// The instrumented copies the checks open.
pub struct Copies {
    _dir: tempfile::TempDir,
    /// The sample site.
    pub sample: PathBuf,
    /// Two small sites on the same disk with a checklist at the same path.
    pub first: PathBuf,
    pub second: PathBuf,
    /// The first, in a browser whose storage throws (blocked or full).
    pub blocked: PathBuf,
    _small: Vec<tempfile::TempDir>,
    packed: std::cell::OnceCell<Packed>,
}

/// `zhiku pack` of the sample: the zip unzipped, and the single file.
pub struct Packed {
    _dir: tempfile::TempDir,
    pub unzipped: PathBuf,
    pub single: PathBuf,
}

/// Records what goes wrong in a page, before the page's scripts run:
/// `window.__zhikuErrors`, one line each.
const RECORDER: &str = "<script>(function(w){var e=w.__zhikuErrors=[];function p(m){e.push(String(m))}\
w.addEventListener('error',function(v){var t=v.target;if(t&&t!==w&&t.nodeType===1)p('failed to load '+(t.src||t.href));\
else p('error: '+v.message+' at '+v.filename+':'+v.lineno)},true);\
w.addEventListener('unhandledrejection',function(v){p('unhandled rejection: '+(v.reason&&v.reason.stack||v.reason))});\
var c=w.console&&w.console.error;if(c)w.console.error=function(){p('console.error: '+Array.prototype.join.call(arguments,' '));\
return c.apply(this,arguments)}})(window)</script>";

/// Storage that throws, as in a private window or when full.
const BLOCKED_STORAGE: &str = "<script>Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };\
Storage.prototype.getItem = function () { throw new DOMException('blocked', 'SecurityError'); };</script>";

/// Copies `src` into `dst`, putting the recorder into every HTML file
/// right after its charset declaration.
fn instrumented_copy(src: &Path, dst: &Path) {
    copy_with(src, dst, RECORDER);
}

/// Copies `src` into `dst`, putting `prelude` into every HTML file right
/// after its charset declaration.
fn copy_with(src: &Path, dst: &Path, prelude: &str) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_with(&entry.path(), &target, prelude);
        } else if target.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            let at = html
                .find("<meta charset=\"utf-8\">")
                .map(|i| i + "<meta charset=\"utf-8\">".len())
                .unwrap_or_else(|| panic!("{}: no charset", entry.path().display()));
            std::fs::write(target, format!("{}{prelude}{}", &html[..at], &html[at..])).unwrap();
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A small site whose id is `id`, with one checklist.
fn checklist_site(id: &str) -> (tempfile::TempDir, PathBuf) {
    small_site(&[
        (
            "site.toml",
            &format!("title = \"{id}\"\nsite_id = \"{id}\"\n"),
        ),
        ("content/_index.md", "---\ntitle: 首页\n---\n\n首页。\n"),
        (
            "content/checklists/_index.md",
            "---\ntitle: 清单\npage_kind: checklist\n---\n",
        ),
        (
            "content/checklists/meeting.md",
            "---\ntitle: 支部大会清单\n---\n\n## 会前\n\n- [ ] 确定议题\n- [ ] 通知全体党员\n",
        ),
    ])
}

impl Copies {
    fn make(sample: &Path) -> Copies {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("sample");
        instrumented_copy(sample, &copy);
        let mut small = Vec::new();
        let mut sites = Vec::new();
        for id in ["site-a", "site-b"] {
            let (tmp, out) = checklist_site(id);
            let copy = dir.path().join(id);
            instrumented_copy(&out, &copy);
            small.push(tmp);
            sites.push(copy);
        }
        let second = sites.pop().unwrap();
        let first = sites.pop().unwrap();
        let blocked = dir.path().join("blocked");
        copy_with(&first, &blocked, BLOCKED_STORAGE);
        Copies {
            _dir: dir,
            sample: copy,
            first,
            second,
            blocked,
            _small: small,
            packed: std::cell::OnceCell::new(),
        }
    }

    /// Packs the sample at first use (each form takes seconds).
    pub fn packed(&self) -> &Packed {
        self.packed.get_or_init(pack)
    }
}

/// Starts `zhiku ARGS`; [`finish`] waits for it.
fn zhiku(args: &[&std::ffi::OsStr]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .env("ZHIKU_LANG", "en")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("zhiku")
}

fn finish(child: std::process::Child) {
    let out = child.wait_with_output().expect("zhiku");
    assert!(
        out.status.success(),
        "zhiku pack: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pack() -> Packed {
    let dir = tempfile::tempdir().unwrap();
    let root = std::ffi::OsStr::new(env!("CARGO_MANIFEST_DIR"));
    let (zip, single) = (dir.path().join("site.zip"), dir.path().join("single.html"));
    // Both at once: each is a whole build, mostly waiting on one core.
    let zipping = zhiku(&["pack".as_ref(), root, "-o".as_ref(), zip.as_ref()]);
    let single_file = zhiku(&[
        "pack".as_ref(),
        root,
        "--single-file".as_ref(),
        "-o".as_ref(),
        single.as_ref(),
    ]);
    finish(zipping);
    finish(single_file);
    let raw = dir.path().join("raw");
    let unzip = std::process::Command::new("unzip")
        .arg("-q")
        .arg(&zip)
        .arg("-d")
        .arg(&raw)
        .status()
        .expect("unzip (apt-get install -y unzip)");
    assert!(unzip.success(), "unzip failed");
    let unzipped = dir.path().join("unzipped");
    instrumented_copy(&raw, &unzipped);
    let html = std::fs::read_to_string(&single).unwrap();
    let at =
        html.find("<meta charset=\"utf-8\">").expect("charset") + "<meta charset=\"utf-8\">".len();
    let single_copy = dir.path().join("学习资料.html");
    std::fs::write(
        &single_copy,
        format!("{}{RECORDER}{}", &html[..at], &html[at..]),
    )
    .unwrap();
    Packed {
        _dir: dir,
        unzipped,
        single: single_copy,
    }
}

/// A check, run in each engine.
pub type Check = fn(&mut dyn Engine, &Copies) -> Result<()>;

/// The three engines, by name as in the test names.
pub const ENGINES: &[&str] = &["chromium", "webkit", "firefox"];

pub use crate::cdp::SKIP;

/// Runs `check` in `engine`, starting it (and making the copies) at first
/// use.
pub fn run(ctx: &mut Ctx, engine: &str, check: Check) -> Result<()> {
    let sample = ctx.sites.sample.clone();
    let copies = ctx
        .engines
        .sites
        .get_or_insert_with(|| Copies::make(&sample));
    if engine == "chromium" {
        let page = ctx.browser.new_page()?;
        return check(&mut Chromium { page }, copies);
    }
    let slot = if engine == "webkit" {
        &mut ctx.engines.webkit
    } else {
        &mut ctx.engines.firefox
    };
    let running = slot.get_or_insert_with(|| start(engine));
    match running {
        Ok(r) => check(
            &mut Driven {
                driver: &r.driver,
                session: &mut r.session,
            },
            copies,
        ),
        Err(e) => Err(e.clone()),
    }
}

type Launch = fn(&[PathBuf]) -> Result<Driver>;

fn start(engine: &str) -> std::result::Result<Running, String> {
    let (found, launch): (webdriver::Found, Launch) = match engine {
        "webkit" => (webdriver::find_webkit(), webdriver::launch_webkit),
        _ => (webdriver::find_firefox(), webdriver::launch_firefox),
    };
    let paths = found.map_err(|e| format!("{SKIP}{e}"))?;
    let driver = launch(&paths)?;
    let session = driver.session(false)?;
    Ok(Running {
        session: Some(session),
        driver,
    })
}

/// The `file://` URL of a file in a copy.
pub fn url(dir: &Path, rel: &str) -> String {
    crate::sites::file_url(dir, rel)
}

/// Polls `expr` until truthy (an error counts as not yet: a page may be
/// loading), for up to `secs` seconds.
pub fn wait(tab: &mut dyn Tab, expr: &str, what: &str, secs: u64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let check = format!(
        "(async () => {{ try {{ return !!(await ({expr})); }} catch (e) {{ return false; }} }})()"
    );
    loop {
        if let Ok(Value::Bool(true)) = tab.eval(&check) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what} (`{expr}`)"));
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// The recorder's lines for the page in view (an error when the page has
/// no recorder: then it was not one of the copies).
pub fn errors(tab: &mut dyn Tab) -> Result<Vec<String>> {
    let v = tab.eval("window.__zhikuErrors || null")?;
    let list = v.as_array().ok_or("no error recorder in the page")?;
    Ok(list
        .iter()
        .map(|e| e.as_str().unwrap_or_default().to_string())
        .collect())
}

/// Opens `url` and fails on anything the recorder saw.
pub fn open(tab: &mut dyn Tab, url: &str) -> Result<()> {
    tab.goto(url)?;
    wait(tab, "document.readyState === 'complete'", "the load", 10)?;
    // Scripts that run after load (a deferred search index, say) have a
    // moment to fail.
    tab.eval("new Promise(r => setTimeout(r, 50))")?;
    let found = errors(tab)?;
    ensure(found.is_empty(), || format!("{url}: {found:#?}"))
}
