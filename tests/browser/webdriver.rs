//! A small W3C WebDriver client: plain JSON over HTTP/1.1 to a driver on a
//! local port, with `std::net` and serde_json (no async runtime, no client
//! crate), and the launchers of the two drivers the engine tests use:
//! WebKitWebDriver (WebKitGTK's MiniBrowser, on a private Xvfb display) and
//! geckodriver (Firefox ESR, headless). Each is started once for the run
//! and stopped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cdp::Result;

/// One request, one connection (`Connection: close`): replies are small and
/// a request takes far longer in the browser than a connect.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    let what = format!("{method} {path}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("{what}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{what}: {e}"))?;
    let mut reply = Vec::new();
    stream
        .read_to_end(&mut reply)
        .map_err(|e| format!("{what}: {e}"))?;
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{what}: no reply"))?;
    let head = String::from_utf8_lossy(&reply[..split]).to_lowercase();
    let mut content = reply[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        content = dechunk(&content);
    }
    let v: Value = serde_json::from_slice(&content)
        .map_err(|e| format!("{what}: {e}: {}", String::from_utf8_lossy(&content)))?;
    if let Some(err) = v["value"]["error"].as_str() {
        return Err(format!("{what}: {err}: {}", v["value"]["message"]));
    }
    Ok(v["value"].clone())
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[(eol + 4 + size).min(data.len())..];
    }
    out
}

/// A browser session; deleted (the browser closed) when dropped.
pub struct Session {
    port: u16,
    id: String,
}

impl Session {
    pub fn new(port: u16, capabilities: Value) -> Result<Session> {
        let v = http(
            port,
            "POST",
            "/session",
            Some(&json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {v}"))?
            .to_string();
        let session = Session { port, id };
        session.call(
            "POST",
            "timeouts",
            json!({ "script": 20_000, "pageLoad": 20_000 }),
        )?;
        Ok(session)
    }

    pub fn call(&self, method: &str, what: &str, body: Value) -> Result<Value> {
        let path = format!("/session/{}/{what}", self.id);
        http(
            self.port,
            method,
            &path,
            (method == "POST").then_some(&body),
        )
    }

    /// Navigates and waits for the load event.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.call("POST", "url", json!({ "url": url })).map(|_| ())
    }

    /// Evaluates a JavaScript expression, awaiting a promise; a thrown
    /// error or rejection is an `Err` with its message.
    pub fn eval(&self, expression: &str) -> Result<Value> {
        let script = format!(
            "const done = arguments[arguments.length - 1];\n\
             Promise.resolve().then(() => ({expression}\n)).then(\
             v => done({{ ok: v === undefined ? null : v }}), \
             e => done({{ err: String(e) + ' ' + (e && e.stack || '') }}));"
        );
        let v = self.call(
            "POST",
            "execute/async",
            json!({ "script": script, "args": [] }),
        )?;
        match v.get("err") {
            Some(e) => Err(format!("JS exception in `{expression}`: {e}")),
            None => Ok(v["ok"].clone()),
        }
    }

    /// Sizes the window so that the page's viewport is `width` CSS pixels
    /// wide and about `height` tall (the window's frame added; MiniBrowser
    /// may settle its height a moment later, and only the width matters
    /// to the checks).
    pub fn viewport(&self, width: u32, height: u32) -> Result<()> {
        let (mut w, mut h) = (width, height);
        for _ in 0..4 {
            self.call("POST", "window/rect", json!({ "width": w, "height": h }))?;
            std::thread::sleep(Duration::from_millis(50));
            let inner = self.eval("[window.innerWidth, window.innerHeight]")?;
            let (iw, ih) = (
                inner[0].as_u64().unwrap_or(0) as u32,
                inner[1].as_u64().unwrap_or(0) as u32,
            );
            if iw == width && ih.abs_diff(height) <= 40 {
                return Ok(());
            }
            w = (w + width).saturating_sub(iw);
            h = (h + height).saturating_sub(ih);
        }
        let inner = self.eval("[window.innerWidth, window.innerHeight]")?;
        Err(format!(
            "cannot size the viewport to {width}×{height}: it is {inner}"
        ))
    }

    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let data = self.call("GET", "screenshot", Value::Null)?;
        let data = data.as_str().ok_or("no screenshot data")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, crate::cdp::base64_decode(data)).map_err(|e| e.to_string())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

/// A running driver (and the Xvfb it draws on, for WebKit), stopped when
/// dropped; `capabilities` open a session of its browser.
pub struct Driver {
    pub name: &'static str,
    pub port: u16,
    capabilities: Value,
    /// Started last, stopped first.
    children: Vec<Child>,
    _dirs: Vec<tempfile::TempDir>,
}

impl Driver {
    /// A session; `dark` runs the browser with the system set to dark.
    pub fn session(&self, dark: bool) -> Result<Session> {
        let mut caps = self.capabilities.clone();
        if dark {
            match self.name {
                "WebKit" => caps["webkitgtk:browserOptions"]["args"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("--dark-mode")),
                _ => caps["moz:firefoxOptions"]["prefs"]["ui.systemUsesDarkTheme"] = json!(1),
            }
        }
        Session::new(self.port, caps)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `var` (a path) if set, else the first of `names` on PATH or in `dirs`.
fn find(var: &str, names: &[&str], dirs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let all: Vec<PathBuf> = std::env::split_paths(&path)
        .chain(dirs.iter().cloned())
        .collect();
    names
        .iter()
        .flat_map(|n| all.iter().map(move |d| d.join(n)))
        .find(|c| c.is_file())
}

/// `cmd`, to be stopped by the kernel if the test process dies without
/// dropping its [`Driver`] (killed, or its output closed mid-run).
fn stopped_with_us(mut cmd: Command) -> Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe; it only sets a flag of the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    cmd
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Waits until the driver on `port` answers `/status` (or has exited).
fn wait_ready(port: u16, child: &mut Child, name: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if http(port, "GET", "/status", None).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{name} exited: {status}"));
        }
        if Instant::now() > deadline {
            return Err(format!("{name} did not answer on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The programs an engine needs, or what is missing.
pub type Found = std::result::Result<Vec<PathBuf>, String>;

pub fn find_webkit() -> Found {
    let minibrowser = match std::env::var_os("ZHIKU_MINIBROWSER") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => ["x86_64", "aarch64"]
            .iter()
            .flat_map(|a| {
                ["4.1", "4.0", "6.0"]
                    .map(|v| format!("/usr/lib/{a}-linux-gnu/webkit2gtk-{v}/MiniBrowser"))
            })
            .map(PathBuf::from)
            .find(|p| p.is_file()),
    };
    match (
        find("ZHIKU_WEBKIT_DRIVER", &["WebKitWebDriver"], &[]),
        minibrowser,
        find("ZHIKU_XVFB", &["Xvfb"], &[]),
    ) {
        (Some(d), Some(m), Some(x)) => Ok(vec![d, m, x]),
        _ => Err("WebKitWebDriver, MiniBrowser or Xvfb not found (apt-get install -y webkit2gtk-driver xvfb)".into()),
    }
}

pub fn find_firefox() -> Found {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin"))
        .into_iter()
        .collect::<Vec<_>>();
    match (
        find("ZHIKU_GECKODRIVER", &["geckodriver"], &cargo_bin),
        find("ZHIKU_FIREFOX", &["firefox-esr", "firefox"], &[]),
    ) {
        (Some(d), Some(f)) => Ok(vec![d, f]),
        _ => Err("geckodriver or Firefox not found (apt-get install -y firefox-esr; cargo install geckodriver)".into()),
    }
}

/// WebKitWebDriver on a private Xvfb display. MiniBrowser's toolbar keeps
/// its window at least 447 px wide; a GTK style sheet in a private config
/// folder shrinks the toolbar so that the page can be 360 px wide.
pub fn launch_webkit(paths: &[PathBuf]) -> Result<Driver> {
    let [driver, minibrowser, xvfb] = paths else {
        return Err("bad paths".into());
    };
    let config = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(config.path().join("gtk-3.0")).map_err(|e| e.to_string())?;
    std::fs::write(
        config.path().join("gtk-3.0/gtk.css"),
        "* { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; }\n\
         button image { -gtk-icon-transform: scale(0.01); }\n",
    )
    .map_err(|e| e.to_string())?;
    // -displayfd 1: Xvfb picks a free display and writes its number on
    // stdout once it accepts clients.
    let mut x = stopped_with_us(Command::new(xvfb))
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1600x1000x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", xvfb.display()))?;
    let mut display = String::new();
    BufReader::new(x.stdout.take().unwrap())
        .read_line(&mut display)
        .map_err(|e| e.to_string())?;
    let display = display.trim().to_string();
    let mut children = vec![x];
    if display.is_empty() {
        let _ = children[0].kill();
        return Err("Xvfb did not report a display".into());
    }
    let port = free_port()?;
    let spawned = stopped_with_us(Command::new(driver))
        .arg(format!("--port={port}"))
        .env("DISPLAY", format!(":{display}"))
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let started = spawned.map_err(|e| format!("cannot start {}: {e}", driver.display()));
    let mut wd = Driver {
        name: "WebKit",
        port,
        capabilities: json!({ "webkitgtk:browserOptions": {
            "binary": minibrowser, "args": ["--automation"] } }),
        children: Vec::new(),
        _dirs: vec![config],
    };
    wd.children = std::mem::take(&mut children);
    wd.children.push(started?);
    let last = wd.children.last_mut().unwrap();
    wait_ready(port, last, "WebKitWebDriver")?;
    Ok(wd)
}

/// geckodriver with Firefox headless, in a profile of its own. Firefox
/// keeps its window at least 450 px wide for the toolbar; the profile's
/// userChrome.css lifts that so that the page can be 360 px wide.
pub fn launch_firefox(paths: &[PathBuf]) -> Result<Driver> {
    let [driver, firefox] = paths else {
        return Err("bad paths".into());
    };
    let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(profile.path().join("chrome")).map_err(|e| e.to_string())?;
    std::fs::write(
        profile.path().join("chrome/userChrome.css"),
        ":root, #main-window, #navigator-toolbox, #nav-bar, #urlbar-container, #TabsToolbar \
         { min-width: 0 !important; }\n",
    )
    .map_err(|e| e.to_string())?;
    let port = free_port()?;
    let child = stopped_with_us(Command::new(driver))
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", driver.display()))?;
    let mut wd = Driver {
        name: "Firefox",
        port,
        capabilities: json!({ "browserName": "firefox", "moz:firefoxOptions": {
            "binary": firefox, "args": ["-headless", "-profile", profile.path()], "prefs": {
                "toolkit.legacyUserProfileCustomizations.stylesheets": true,
                // Light unless a test asks for dark: the system's setting
                // is not the machine's desktop theme.
                "ui.systemUsesDarkTheme": 0,
                "browser.shell.checkDefaultBrowser": false,
                // Scrollbars over the page, as on a phone, not beside it.
                "ui.useOverlayScrollbars": 1,
                "datareporting.policy.dataSubmissionEnabled": false,
            } } }),
        children: vec![child],
        _dirs: vec![profile],
    };
    let last = wd.children.last_mut().unwrap();
    wait_ready(port, last, "geckodriver")?;
    Ok(wd)
}
