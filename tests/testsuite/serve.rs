//! `zhiku serve` end to end (issue 7): the binary on an ephemeral port,
//! edited the way editors edit, watched over its live-reload socket and
//! over HTTP.

#[path = "../../examples/support/serve_client.rs"]
#[allow(dead_code)]
mod serve_client;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::site_test::SiteTest;
use serve_client::Serve;

/// A running `zhiku serve` of a copy of a fixture.
struct Serving {
    // Dropped first: the server stops before its site goes.
    serve: Serve,
    site: SiteTest,
    port: u16,
    out: PathBuf,
}

impl Serving {
    fn start(fixture: &str) -> Serving {
        let site = SiteTest::fixture(fixture);
        let serve = Serve::start(
            Path::new(env!("CARGO_BIN_EXE_zhiku")),
            Path::new("."),
            &site.root,
        );
        Serving {
            port: serve.port,
            out: serve.out.clone(),
            serve,
            site,
        }
    }

    /// A GET with the given Host header: (status, body).
    fn get_as(&self, host: &str, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    fn get(&self, target: &str) -> (u16, String) {
        self.get_as(&format!("127.0.0.1:{}", self.port), target)
    }

    /// Opens the live-reload socket with an Origin header (or none).
    fn live_as(&self, origin: Option<&str>) -> (u16, TcpStream) {
        self.serve.upgrade(origin)
    }

    fn live(&self) -> Live {
        Live(self.serve.live())
    }

    fn write(&self, rel: &str, text: &str) {
        self.site.change_file(rel, text);
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.root.join(rel)
    }
}

/// The client side of the live-reload socket, its messages as JSON.
struct Live(serve_client::Live);

impl Live {
    /// The next message within `timeout`.
    fn next(&mut self, timeout: Duration) -> Option<Value> {
        self.0
            .next(timeout)
            .and_then(|text| serde_json::from_str(&text).ok())
    }

    /// Waits for a message of type `kind`, skipping others (an empty
    /// error list is sent on connecting).
    fn wait_for(&mut self, kind: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .next(left)
                .unwrap_or_else(|| panic!("no {kind} message within 30 s"));
            if message["type"] == kind
                && !(kind == "errors" && message["problems"] == Value::Array(vec![]))
            {
                return message;
            }
        }
    }

    /// Counts `reload` messages until none has come for `quiet`.
    fn count_reloads(&mut self, quiet: Duration) -> usize {
        let mut n = 0;
        while let Some(m) = self.next(quiet) {
            n += usize::from(m["type"] == "reload");
        }
        n
    }
}

const PAGE: &str = "content/checklists/meeting.md";

#[test]
fn a_saved_page_reloads_the_browser_with_its_new_text() {
    let s = Serving::start("domain");
    let (status, body) = s.get("/checklists/meeting/index.html");
    assert_eq!(status, 200);
    assert!(body.contains("确定议题"));
    let mut live = s.live();
    s.write(PAGE, &(s.site.read(PAGE) + "\n一条新加的提醒。\n"));
    live.wait_for("reload");
    let (_, body) = s.get("/checklists/meeting/index.html");
    assert!(
        body.contains("一条新加的提醒"),
        "the new text is not served"
    );
    assert!(
        body.contains("/__zhiku/live"),
        "the reload client is injected"
    );
    // ... but never written into the output.
    let written = std::fs::read_to_string(s.out.join("checklists/meeting/index.html")).unwrap();
    assert!(!written.contains("__zhiku"));
}

/// vim's default save: probe file, swap file, rename the page away, write
/// it anew, delete the backup.
fn vim_save(s: &Serving, rel: &str, text: &str) {
    let path = s.path(rel);
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(format!(".{name}.swp")), "swap").unwrap();
    std::fs::rename(&path, dir.join(format!("{name}~"))).unwrap();
    std::fs::write(&path, text).unwrap();
    std::fs::remove_file(dir.join(format!("{name}~"))).unwrap();
    std::fs::remove_file(dir.join(format!(".{name}.swp"))).unwrap();
}

#[test]
fn three_vim_saves_are_three_rebuilds() {
    let s = Serving::start("domain");
    let mut live = s.live();
    let text = s.site.read(PAGE);
    for i in 1..=3 {
        vim_save(&s, PAGE, &format!("{text}\n第{i}次保存。\n"));
        live.wait_for("reload");
        let (_, body) = s.get("/checklists/meeting/index.html");
        assert!(
            body.contains(&format!("第{i}次保存")),
            "save {i} not served"
        );
        // Let the watcher settle between saves, as a person would.
        assert_eq!(
            live.count_reloads(Duration::from_millis(700)),
            0,
            "save {i} rebuilt twice"
        );
    }
}

#[test]
fn a_jetbrains_safe_write_never_renders_its_temp_file() {
    let s = Serving::start("domain");
    let mut live = s.live();
    let path = s.path(PAGE);
    let dir = path.parent().unwrap();
    let tmp = dir.join("meeting.md___jb_tmp___");
    let old = dir.join("meeting.md___jb_old___");
    std::fs::write(&tmp, s.site.read(PAGE) + "\n安全写入。\n").unwrap();
    std::fs::rename(&path, &old).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    std::fs::remove_file(&old).unwrap();
    live.wait_for("reload");
    assert_eq!(
        live.count_reloads(Duration::from_millis(700)),
        0,
        "one save, two rebuilds"
    );
    let (_, body) = s.get("/checklists/meeting/index.html");
    assert!(body.contains("安全写入"));
    let outputs = crate::site_test::snapshot(&s.out);
    assert!(
        !outputs.iter().any(|(p, _)| p.contains("jb_")),
        "a temp file was rendered"
    );
}

#[test]
fn a_deleted_page_is_gone_and_links_to_it_are_reported() {
    let s = Serving::start("domain");
    let mut live = s.live();
    assert_eq!(s.get("/cases/a/index.html").0, 200);
    std::fs::remove_file(s.path("content/cases/a.md")).unwrap();
    live.wait_for("reload");
    assert_eq!(s.get("/cases/a/index.html").0, 404);
    // The regulation others link to: the build fails, naming the links.
    std::fs::remove_file(s.path("content/regulations/new.md")).unwrap();
    let errors = live.wait_for("errors");
    let text = errors["problems"].to_string();
    assert!(text.contains("meeting.md"), "{text}");
    // The last good pages stay served.
    assert_eq!(s.get("/regulations/new/index.html").0, 200);
}

#[test]
fn broken_front_matter_shows_errors_until_fixed() {
    let s = Serving::start("domain");
    let mut live = s.live();
    let good = s.site.read(PAGE);
    s.write(
        PAGE,
        "---\ntitle: [未闭合\n---\n\n<img src=x onerror=alert(1)>\n",
    );
    let errors = live.wait_for("errors");
    let problem = &errors["problems"][0];
    assert_eq!(problem["file"], "content/checklists/meeting.md", "{errors}");
    assert!(problem["line"].as_u64().is_some(), "{errors}");
    // A page loaded now carries the errors for its overlay.
    let (_, body) = s.get("/checklists/meeting/index.html");
    assert!(body.contains("content/checklists/meeting.md"));
    s.write(PAGE, &good);
    live.wait_for("reload");
    let (_, body) = s.get("/index.html");
    assert!(
        !body.contains("content/checklists/meeting.md"),
        "the errors stayed"
    );
}

#[test]
fn traversal_foreign_hosts_and_origins_are_refused() {
    let s = Serving::start("domain");
    let secret = s.site.root.join("site.toml");
    assert!(secret.exists());
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/..%5csite.toml",
        "//etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ] {
        let (status, body) = s.get(target);
        assert!(status == 404 || status == 400, "{target}: {status}");
        assert!(!body.contains("site_id"), "{target} leaked a file");
    }
    // zhiku's own list of the files it wrote is not part of the site.
    assert_eq!(s.get("/.zhiku-manifest").0, 404);
    assert_eq!(s.get_as("evil.example", "/index.html").0, 403);
    assert_eq!(
        s.get_as(&format!("localhost:{}", s.port), "/index.html").0,
        200
    );
    assert_eq!(s.live_as(Some("http://evil.example")).0, 403);
    assert_eq!(s.live_as(None).0, 403);
}

#[test]
fn a_taken_port_is_an_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let site = SiteTest::fixture("domain");
    let out = site.run(&["serve", ".", "-p", &port]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&port), "{stderr}");
}

/// `zhiku watch`: the output folder follows the sources, without a server.
#[test]
fn watch_rebuilds_the_output_folder() {
    let site = SiteTest::fixture("domain");
    let out = tempfile::tempdir().unwrap();
    let mut child = crate::site_test::zhiku()
        .args(["watch", ".", "-o"])
        .arg(out.path())
        .current_dir(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("Watching"), "{line}");
    let page = out.path().join("checklists/meeting/index.html");
    let eventually = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done() {
            assert!(Instant::now() < deadline, "timed out: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    eventually("the first build", &|| page.exists());
    site.change_file(PAGE, site.read(PAGE) + "\n观察模式加的一句。\n");
    eventually("the edit in the output", &|| {
        std::fs::read_to_string(&page).is_ok_and(|t| t.contains("观察模式加的一句"))
    });
    std::fs::remove_file(site.root.join("content/cases/a.md")).unwrap();
    let gone = out.path().join("cases/a/index.html");
    eventually("the deleted page's output to go", &|| !gone.exists());
    let _ = child.kill();
    let _ = child.wait();
}

/// Where `serve` builds (issues 13 and 15). The first server of a site
/// builds into `.zhiku-cache/serve/` in the site folder (mode 0700), which
/// stays when it stops, so that the next start writes nothing that did not
/// change. A second server of the same site while the first runs gets a
/// new private folder under the system's temporary folder (a fixed name
/// there could be prepared with `assets -> victim`), removed when it is
/// stopped by SIGTERM or Ctrl-C (SIGINT).
#[cfg(unix)]
#[test]
fn issue_13_serve_builds_into_the_cache_or_a_fresh_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::fixture("basic");
    let zhiku = Path::new(env!("CARGO_BIN_EXE_zhiku"));
    let mut first = Serve::start(zhiku, Path::new("."), &site.root);
    let mut second = Serve::start(zhiku, Path::new("."), &site.root);
    let kept = site.root.canonicalize().unwrap().join(".zhiku-cache/serve");
    assert_eq!(first.out, kept);
    assert!(
        !second.out.starts_with(&site.root) && second.out.starts_with(std::env::temp_dir()),
        "{}",
        second.out.display()
    );
    assert!(
        started(&second).contains("another zhiku serve of this site is running"),
        "the second server did not say why it builds elsewhere"
    );
    for serve in [&first, &second] {
        let mode = std::fs::metadata(&serve.out).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o700,
            "{}: mode {mode:o}",
            serve.out.display()
        );
        assert!(serve.out.join("index.html").exists());
    }
    for (serve, signal) in [(&mut first, libc::SIGTERM), (&mut second, libc::SIGINT)] {
        // SAFETY: sends a signal to a child process of this test.
        unsafe { libc::kill(serve.child.id() as libc::pid_t, signal) };
        let status = serve.child.wait().unwrap();
        assert_eq!(status.code(), Some(128 + signal), "{status:?}");
    }
    assert!(
        first.out.join("index.html").exists(),
        "the kept folder went"
    );
    assert!(
        !second.out.exists(),
        "{} outlived the server",
        second.out.display()
    );
    // The lock went with the first server: the next one builds into the
    // kept folder again, and finds nothing to write.
    let third = Serve::start(zhiku, Path::new("."), &site.root);
    assert_eq!(third.out, kept);
    let log = started(&third);
    assert!(log.contains(": 0 files written"), "{log}");
}

/// A `.zhiku-cache/serve` that is not a folder of its own (here a link to
/// another folder) is never written into: the server says so and builds
/// into a private folder.
#[cfg(unix)]
#[test]
fn issue_13_serve_never_writes_through_a_link_in_the_cache() {
    let site = SiteTest::fixture("basic");
    let victim = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.root.join(".zhiku-cache")).unwrap();
    std::os::unix::fs::symlink(victim.path(), site.root.join(".zhiku-cache/serve")).unwrap();
    let zhiku = Path::new(env!("CARGO_BIN_EXE_zhiku"));
    let serve = Serve::start(zhiku, Path::new("."), &site.root);
    assert!(
        serve.out.starts_with(std::env::temp_dir()),
        "{}",
        serve.out.display()
    );
    assert!(!serve.out.starts_with(victim.path()));
    assert!(started(&serve).contains("is not a folder"));
    assert!(serve.out.join("index.html").exists());
    assert_eq!(std::fs::read_dir(victim.path()).unwrap().count(), 0);
}

/// What `serve` printed while it started.
fn started(serve: &Serve) -> String {
    serve.head.join("\n")
}

/// Issue 13, case 8: idle connections must not starve the server. It used
/// to give each connection one of 256 slots for up to 10 s while it waited
/// for a request head, and close every connection past those at once, so
/// 256 silent sockets made every new request an empty reply for 8–11 s.
///
/// Here 1,000 sockets connect and say nothing or half a request head; a
/// `GET /` on a new one must then be answered. The issue asks for 1 s; the
/// bound is 3 s for a loaded two-core machine. Measured on two shared
/// cores (debug build): before the fix an empty reply in about 1 ms; after
/// it, 200 in 50-80 ms (the server still accepting the tail of the burst).
/// The thousand connections open in about 70 ms (3-5 s with std's listen
/// backlog of 128). Fewer are used if the open-file limit cannot be raised
/// to fit them, but never fewer than 300, more than the server's 256.
#[cfg(unix)]
#[test]
fn issue_13_a_thousand_idle_connections_do_not_block_a_request() {
    let wanted = 1000;
    // Every socket is a descriptor in this process; leave room for the
    // other tests running alongside.
    let idle = raise_open_file_limit(wanted as u64 + 200).saturating_sub(200) as usize;
    let idle = idle.min(wanted);
    assert!(
        idle >= 300,
        "only {idle} descriptors to spare; raise `ulimit -n`"
    );
    let s = Serving::start("basic");
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], s.port));
    let mut quiet = Vec::with_capacity(idle);
    for i in 0..idle {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("idle connection {i}: {e}"));
        if i % 2 == 1 {
            // Slowloris: a head that never ends.
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        }
        quiet.push(stream);
    }

    let started = Instant::now();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(3)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        s.port
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let took = started.elapsed();
    let head = String::from_utf8_lossy(&response);
    let status = head.lines().next().unwrap_or_default();
    assert!(
        status.starts_with("HTTP/1.1 200 "),
        "with {idle} idle connections open, GET / got {status:?} after {took:?}"
    );
    assert!(took < Duration::from_secs(3), "GET / took {took:?}");
    eprintln!("GET / with {idle} idle connections open: {took:?}");
    drop(quiet);
}

/// Raises this process's soft limit on open files towards `want` (never
/// past the hard limit); returns the limit now in force.
#[cfg(unix)]
fn raise_open_file_limit(want: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write `limit`.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < want {
            let raised = libc::rlimit {
                rlim_cur: want.min(limit.rlim_max),
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}
