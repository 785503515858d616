//! A small Chrome DevTools Protocol client over `--remote-debugging-pipe`.
//!
//! Chromium reads NUL-terminated JSON commands on fd 3 and writes replies and
//! events on fd 4. Speaking it directly needs no WebSocket stack and no async
//! runtime — a page of code instead of a client crate with dozens of
//! dependencies (headless_chrome, chromiumoxide, fantoccini + chromedriver).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub type Result<T> = std::result::Result<T, String>;

const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Browser {
    child: Child,
    writer: std::io::PipeWriter,
    incoming: Receiver<Value>,
    next_id: u64,
    /// Events not yet looked at, oldest first.
    events: VecDeque<Value>,
    _profile: tempfile::TempDir,
}

/// Where Chromium is: `ZHIKU_CHROMIUM`, else the usual names on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ZHIKU_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// What a test's error starts with when its engine is missing; the runner
/// reports it as skipped unless ZHIKU_REQUIRE_BROWSER=1.
pub const SKIP: &str = "SKIPPED: ";

/// Chromium, started when the first page is asked for, so that the other
/// engines' tests run on a machine without it. A missing Chromium is a
/// skip (a failure under ZHIKU_REQUIRE_BROWSER=1), like a missing engine.
#[derive(Default)]
pub struct Chromium {
    started: Option<Result<Browser>>,
}

impl Chromium {
    /// A new tab in a fresh browser context (its own storage).
    pub fn new_page(&mut self) -> Result<Page<'_>> {
        let started = self.started.get_or_insert_with(|| {
            let exe = find_chromium().ok_or_else(|| {
                format!(
                    "{}Chromium not found (apt-get install -y chromium, or set ZHIKU_CHROMIUM)",
                    SKIP
                )
            })?;
            println!("(starting {})", exe.display());
            Browser::launch(&exe).map_err(|e| format!("cannot start {}: {e}", exe.display()))
        });
        match started {
            Ok(browser) => browser.new_page(),
            Err(e) => Err(e.clone()),
        }
    }
}

impl Browser {
    pub fn launch(exe: &Path) -> Result<Browser> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (to_chrome_read, to_chrome_write) = std::io::pipe().map_err(|e| e.to_string())?;
        let (from_chrome_read, from_chrome_write) = std::io::pipe().map_err(|e| e.to_string())?;
        let (r, w) = (to_chrome_read.as_raw_fd(), from_chrome_write.as_raw_fd());
        let mut cmd = Command::new(exe);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            "about:blank",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls (dup, dup2, close) between fork
        // and exec. The pipes are close-on-exec; `dup` first so that `dup2`
        // onto 3 and 4 always yields fresh, inheritable descriptors, even if
        // a pipe end already sits on fd 3 or 4.
        unsafe {
            cmd.pre_exec(move || {
                let (r2, w2) = (libc::dup(r), libc::dup(w));
                if r2 < 0 || w2 < 0 || libc::dup2(r2, 3) < 0 || libc::dup2(w2, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(r2);
                libc::close(w2);
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        drop(to_chrome_read);
        drop(from_chrome_write);
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from_chrome_read);
            let mut buf = Vec::new();
            while reader.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        let mut browser = Browser {
            child,
            writer: to_chrome_write,
            incoming,
            next_id: 0,
            events: VecDeque::new(),
            _profile: profile,
        };
        browser.call(None, "Browser.getVersion", json!({}))?;
        Ok(browser)
    }

    /// Sends a command and waits for its reply; events that arrive meanwhile
    /// are kept.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.writer
            .write_all(&bytes)
            .map_err(|e| format!("{method}: browser gone: {e}"))?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .receive(deadline)
                .map_err(|e| format!("{method}: {e}"))?;
            if msg.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = msg.get("error") {
                    return Err(format!("{method}: {err}"));
                }
                return Ok(msg.get("result").cloned().unwrap_or(Value::Null));
            }
            if msg.get("method").is_some() {
                self.events.push_back(msg);
            }
        }
    }

    fn receive(&mut self, deadline: Instant) -> Result<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(v) => Ok(v),
            Err(RecvTimeoutError::Timeout) => Err("timed out".into()),
            Err(RecvTimeoutError::Disconnected) => Err("browser closed the pipe".into()),
        }
    }

    /// Waits for an event of `method` on `session` that `matches`.
    pub fn wait_event(
        &mut self,
        session: &str,
        method: &str,
        matches: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        let is_it =
            |e: &Value| e["method"] == method && e["sessionId"] == session && matches(&e["params"]);
        if let Some(pos) = self.events.iter().position(is_it) {
            return Ok(self.events.remove(pos).unwrap());
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .receive(deadline)
                .map_err(|e| format!("waiting for {method}: {e}"))?;
            if is_it(&msg) {
                return Ok(msg);
            }
            self.events.push_back(msg);
        }
    }

    /// Removes and returns the queued events of a session.
    pub fn drain_events(&mut self, session: &str) -> Vec<Value> {
        while let Ok(msg) = self.incoming.try_recv() {
            self.events.push_back(msg);
        }
        let (mine, rest): (Vec<_>, Vec<_>) = self
            .events
            .drain(..)
            .partition(|e| e["sessionId"] == session);
        self.events = rest.into();
        mine
    }

    /// A new tab in a fresh browser context (its own storage).
    pub fn new_page(&mut self) -> Result<Page<'_>> {
        let ctx = self.call(None, "Target.createBrowserContext", json!({}))?;
        let context = ctx["browserContextId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.new_page_in(&context)
    }

    /// A new tab in an existing browser context (shares its storage).
    pub fn new_page_in(&mut self, context: &str) -> Result<Page<'_>> {
        let target = self.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank", "browserContextId": context }),
        )?;
        let target_id = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            self.call(Some(&session), &format!("{domain}.enable"), json!({}))?;
        }
        self.call(
            Some(&session),
            "Page.setLifecycleEventsEnabled",
            json!({ "enabled": true }),
        )?;
        Ok(Page {
            browser: self,
            session,
            target_id,
            context: context.to_string(),
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Page<'b> {
    browser: &'b mut Browser,
    session: String,
    target_id: String,
    pub context: String,
}

impl Page<'_> {
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        self.browser.call(Some(&self.session), method, params)
    }

    /// Navigates and waits for the load event.
    pub fn goto(&mut self, url: &str) -> Result<()> {
        self.browser.drain_events(&self.session);
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(err) = nav.get("errorText").and_then(Value::as_str) {
            return Err(format!("navigating to {url}: {err}"));
        }
        self.browser
            .wait_event(&self.session, "Page.loadEventFired", |_| true)?;
        Ok(())
    }

    /// Evaluates a JavaScript expression and returns its value (promises
    /// are awaited).
    pub fn eval(&mut self, expression: &str) -> Result<Value> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(format!(
                "JS exception in `{expression}`: {}",
                ex["exception"]["description"]
            ));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Runs `source` in every document this tab loads, before its own
    /// scripts (to simulate broken storage, say).
    pub fn add_init_script(&mut self, source: &str) -> Result<()> {
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )?;
        Ok(())
    }

    pub fn eval_bool(&mut self, expression: &str) -> Result<bool> {
        self.eval(expression)?
            .as_bool()
            .ok_or_else(|| format!("`{expression}` is not a boolean"))
    }

    /// Emulates a screen `width` CSS pixels wide (mobile under 600).
    pub fn viewport(&mut self, width: u32, height: u32) -> Result<()> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        )?;
        Ok(())
    }

    pub fn emulate_media(&mut self, media: &str) -> Result<()> {
        self.call("Emulation.setEmulatedMedia", json!({ "media": media }))?;
        Ok(())
    }

    /// Presses and releases a key as a keyboard would (Enter also types
    /// "\r", which is what makes a focused button click).
    pub fn press_key(&mut self, key: &str, code: &str, key_code: u32) -> Result<()> {
        let text = if key == "Enter" { "\r" } else { "" };
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": key_code, "text": text }),
        )?;
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": key_code }),
        )?;
        Ok(())
    }

    /// Taps the screen at (`x`, `y`) CSS pixels of the viewport, as a
    /// finger would: touch events, which the page sees as a click.
    pub fn tap(&mut self, x: f64, y: f64) -> Result<()> {
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": true, "maxTouchPoints": 1 }),
        )?;
        self.call(
            "Input.dispatchTouchEvent",
            json!({ "type": "touchStart", "touchPoints": [{ "x": x, "y": y }] }),
        )?;
        self.call(
            "Input.dispatchTouchEvent",
            json!({ "type": "touchEnd", "touchPoints": [] }),
        )?;
        Ok(())
    }

    pub fn screenshot(&mut self, path: &Path) -> Result<()> {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": false }),
        )?;
        let data = shot["data"].as_str().ok_or("no screenshot data")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, base64_decode(data)).map_err(|e| e.to_string())
    }

    /// Console errors, uncaught exceptions and failed requests since the
    /// last navigation, one line each.
    pub fn problems(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.browser.drain_events(&self.session) {
            let p = &e["params"];
            match e["method"].as_str().unwrap_or("") {
                "Runtime.exceptionThrown" => out.push(format!(
                    "exception: {}",
                    p["exceptionDetails"]["exception"]["description"]
                )),
                "Runtime.consoleAPICalled" if p["type"] == "error" || p["type"] == "assert" => {
                    out.push(format!("console.{}: {}", p["type"], p["args"]))
                }
                "Log.entryAdded" if p["entry"]["level"] == "error" => {
                    out.push(format!("log: {} {}", p["entry"]["text"], p["entry"]["url"]))
                }
                "Network.loadingFailed" => out.push(format!(
                    "request failed: {} {}",
                    p["errorText"], p["requestId"]
                )),
                "Network.requestWillBeSent" => {
                    let url = p["request"]["url"].as_str().unwrap_or("");
                    if !(url.starts_with("file://")
                        || url.starts_with("data:")
                        || url.starts_with("about:"))
                    {
                        out.push(format!("request to another host: {url}"));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        let _ = self.browser.call(
            None,
            "Target.closeTarget",
            json!({ "targetId": self.target_id }),
        );
    }
}

pub fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
