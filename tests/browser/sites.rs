//! The sites the browser tests open, built once per run into a temporary
//! folder, and a small static http server for them.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use zhiku::pipeline::{BuildOptions, build};

pub struct Sites {
    _dir: tempfile::TempDir,
    /// The repository's sample site, built.
    pub sample: PathBuf,
}

impl Sites {
    pub fn build() -> Sites {
        let dir = tempfile::tempdir().unwrap();
        let sample = dir.path().join("sample");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        build_site(root, &sample);
        Sites { _dir: dir, sample }
    }
}

pub fn build_site(root: &Path, out: &Path) {
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.to_path_buf()),
        ..BuildOptions::default()
    };
    if let Err(f) = build(root, &options, &|_, _| {}) {
        panic!(
            "building {} failed: {:#?} {:?}",
            root.display(),
            f.diagnostics,
            f.error
        );
    }
}

/// The `file://` URL of a file in a built site.
pub fn file_url(out: &Path, rel: &str) -> String {
    format!("file://{}/{rel}", out.display())
}

/// `[scroll width, screen width]` of the page in view, equal unless the
/// page scrolls sideways. The screen's width is the root's clientWidth:
/// in mobile emulation the layout viewport, and so `innerWidth`, widens to
/// whatever sticks out, and a comparison with it never finds an overflow.
pub const WIDTHS: &str =
    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]";

/// `Ok` when `cond` holds, else the message: the tests' assertion.
pub fn ensure(cond: bool, msg: impl FnOnce() -> String) -> crate::cdp::Result<()> {
    if cond { Ok(()) } else { Err(msg()) }
}

/// axe-core, vendored as a test asset.
pub fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/vendor/axe.min.js");
    std::fs::read_to_string(path).expect("vendored axe.min.js")
}

/// Writes a small site (`files`: path and contents, site.toml included)
/// into a temporary folder and builds it; returns the folder (keep it
/// alive) and the output.
pub fn small_site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for (rel, text) in files {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = dir.path().join("out");
    build_site(&site, &out);
    (dir, out)
}

/// Waits until the JavaScript expression `expr` (a value or a promise) is
/// truthy in `page` (an exception counts as false), or fails naming `what`
/// after `within`.
pub fn wait_until(
    page: &mut crate::cdp::Page<'_>,
    expr: &str,
    what: &str,
    within: std::time::Duration,
) -> crate::cdp::Result<()> {
    let deadline = std::time::Instant::now() + within;
    let check = format!(
        "(async () => {{ try {{ return !!(await ({expr})); }} catch (e) {{ return false; }} }})()"
    );
    loop {
        if let Ok(serde_json::Value::Bool(true)) = page.eval(&check) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("timed out waiting for {what} (`{expr}`)"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Serves `root` over http on 127.0.0.1 until dropped: GET only, files
/// only, nothing outside `root`, read from disk at each request. Once
/// dropped, the port refuses connections: the network is off.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let root = Arc::new(root);
        let acceptor = std::thread::spawn(move || {
            for stream in listener.incoming().take(10_000) {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                // A connection each: a browser may open one and send
                // nothing for a while (a preconnect).
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || serve(&root, stream));
                }
            }
        });
        Server {
            port,
            stop,
            acceptor: Some(acceptor),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        // The listener closes when the acceptor returns.
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn serve(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut line = String::new();
    let mut header_bytes = 0;
    while reader.read_line(&mut line)? > 2 && header_bytes < 64 * 1024 {
        header_bytes += line.len();
        line.clear();
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let file = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let safe = !file.split('/').any(|c| c == "..");
    let body = if method == "GET" && safe {
        std::fs::read(root.join(file.trim_start_matches('/'))).ok()
    } else {
        None
    };
    let (status, kind, body) = match body {
        Some(b) => ("200 OK", content_type(&file), b),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
