//! End-to-end tests: a real server on 127.0.0.1, raw requests over
//! `TcpStream`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use super::*;

const PAGE: &str = "<!doctype html>\n<html><head><link rel=\"stylesheet\" href=\"style.css\">\
                    </head><body><h1>首页</h1></body></html>\n";
const CSS: &str = "body { color: #222; }\n/* </body> */\n";

/// A site in `<tmp>/public` with a secret beside it, outside the root.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let site = Self { dir };
        site.write("secret.txt", "SECRET outside the root");
        site.write("public/index.html", PAGE);
        site.write("public/style.css", CSS);
        site.write("public/docs/index.html", "<body>docs</body>");
        site.write("public/app.js", "console.log(1)");
        site
    }

    fn root(&self) -> std::path::PathBuf {
        self.dir.path().join("public")
    }

    fn write(&self, rel: &str, text: &str) {
        crate::fs::write_new(&self.dir.path().join(rel), text.as_bytes()).unwrap();
    }

    fn serve(&self) -> DevServer {
        self.serve_with(test_settings())
    }

    fn serve_with(&self, settings: Settings) -> DevServer {
        let opts = ServeOptions {
            port: Some(0),
            ..ServeOptions::new(self.root())
        };
        DevServer::start_with(opts, settings).unwrap()
    }
}

fn test_settings() -> Settings {
    Settings {
        default_port: DEFAULT_PORT,
        request_timeout: Duration::from_secs(5),
    }
}

/// A parsed response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// Reads one response; `head_only` for a reply to HEAD.
fn read_reply(stream: &mut TcpStream, head_only: bool) -> Reply {
    let mut buf = Vec::new();
    let mut byte = [0];
    while !buf.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "closed mid-head: {buf:?}"
        );
        buf.push(byte[0]);
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Response::new(&mut headers);
    assert!(parsed.parse(&buf).unwrap().is_complete());
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8(h.value.to_vec()).unwrap(),
            )
        })
        .collect();
    let mut reply = Reply {
        status: parsed.code.unwrap(),
        headers,
        body: Vec::new(),
    };
    let len: usize = reply
        .header("content-length")
        .map_or(0, |l| l.parse().unwrap());
    if !head_only && reply.status != 101 {
        reply.body = vec![0; len];
        stream.read_exact(&mut reply.body).unwrap();
    }
    reply
}

/// Sends a raw request and reads the reply.
fn send(addr: SocketAddr, raw: &str) -> Reply {
    let mut stream = connect(addr);
    stream.write_all(raw.as_bytes()).unwrap();
    read_reply(&mut stream, raw.starts_with("HEAD "))
}

fn request(server: &DevServer, method: &str, target: &str) -> Reply {
    let port = server.addr().port();
    send(
        server.addr(),
        &format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )
}

fn get(server: &DevServer, target: &str) -> Reply {
    request(server, "GET", target)
}

#[test]
fn can_serve_a_page() {
    let site = Site::new();
    let server = site.serve();
    let reply = get(&server, "/");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        reply.header("content-length"),
        Some(PAGE.len().to_string().as_str())
    );
    assert_eq!(reply.text(), PAGE);
}

#[test]
fn every_response_has_the_dev_headers_and_no_cors() {
    let site = Site::new();
    let server = site.serve();
    for target in ["/", "/style.css", "/missing", "/docs"] {
        let reply = get(&server, target);
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{target}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{target}"
        );
        assert_eq!(
            reply.header("cross-origin-resource-policy"),
            Some("same-origin"),
            "{target}"
        );
        assert!(
            reply
                .headers
                .iter()
                .all(|(n, _)| !n.to_ascii_lowercase().starts_with("access-control")),
            "{target}: {:?}",
            reply.headers
        );
    }
}

#[test]
fn can_serve_css_and_js_untouched() {
    let site = Site::new();
    let server = site.serve();
    let css = get(&server, "/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.body, CSS.as_bytes());
    let js = get(&server, "/app.js?cache=1");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(js.body, b"console.log(1)");
}

#[test]
fn head_has_the_headers_of_get_and_no_body() {
    let site = Site::new();
    let server = site.serve();
    let full = get(&server, "/");
    let mut stream = connect(server.addr());
    let port = server.addr().port();
    write!(
        stream,
        "HEAD / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let head = read_reply(&mut stream, true);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), full.header("content-length"));
    assert_eq!(head.header("content-type"), full.header("content-type"));
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "HEAD sent a body: {rest:?}");
}

#[test]
fn rejects_methods_other_than_get_and_head() {
    let site = Site::new();
    let server = site.serve();
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let reply = request(&server, method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
    }
}

#[test]
fn rejects_every_escape_from_the_root() {
    // RELIABILITY.md case 1, plus variants.
    let site = Site::new();
    site.write("public/404.html", "<html><body>custom 404</body></html>");
    let server = site.serve();
    for target in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "//secret.txt",
        "/c:/windows/win.ini",
        "/C:%5cwindows%5cwin.ini",
        "/../secret.txt?raw??",
        "/etc/passwd?raw??",
        "?raw??",
        "#",
        "#/../secret.txt",
        "/%252e%252e/secret.txt",
        "/style.css%00.html",
    ] {
        let reply = get(&server, target);
        assert_eq!(reply.status, 404, "{target}: {}", reply.text());
        let body = reply.text();
        assert!(body.contains("custom 404"), "{target}: {body}");
        assert!(
            !body.contains("SECRET") && !body.contains("root:"),
            "{target}"
        );
    }
}

#[cfg(unix)]
#[test]
fn rejects_symlinks_pointing_outside_the_root() {
    // RELIABILITY.md case 2.
    let site = Site::new();
    let outside = site.dir.path().join("secret.txt");
    std::os::unix::fs::symlink(&outside, site.root().join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(site.dir.path(), site.root().join("up")).unwrap();
    let server = site.serve();
    for target in ["/leak.txt", "/up/secret.txt", "/up/"] {
        let reply = get(&server, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("SECRET"), "{target}");
    }
}

#[test]
fn misses_without_a_404_page_are_plain_text() {
    let site = Site::new();
    let server = site.serve();
    let plain = get(&server, "/missing.png");
    assert_eq!(plain.status, 404);
    assert_eq!(
        plain.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(plain.text(), "404 Not Found\n");
}

#[test]
fn misses_get_the_sites_404_page() {
    let site = Site::new();
    site.write("public/404.html", "<html><body>custom 404</body></html>");
    let server = site.serve();
    let reply = get(&server, "/nope/");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.text(), "<html><body>custom 404</body></html>");
}

#[test]
fn folders_serve_their_index_and_redirect_to_the_slash_form() {
    let site = Site::new();
    let server = site.serve();
    let redirect = get(&server, "/docs?q=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("docs/?q=1"));
    let page = get(&server, "/docs/");
    assert_eq!(page.status, 200);
    assert_eq!(page.text(), "<body>docs</body>");
}

#[test]
fn checks_the_host_of_every_request() {
    // RELIABILITY.md case 4.
    let site = Site::new();
    let server = site.serve();
    let port = server.addr().port();
    let with_host = |host: &str| {
        send(
            server.addr(),
            &format!("GET /style.css HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        "localhost".to_owned(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_owned(),
    ] {
        assert_eq!(with_host(&host).status, 200, "{host}");
    }
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("10.0.0.1:{port}"),
    ] {
        let reply = with_host(&host);
        assert_eq!(reply.status, 403, "{host}");
        assert!(reply.text().contains("DNS rebinding"), "{host}");
        assert!(!reply.text().contains("body {"), "{host}");
    }
    let missing = send(
        server.addr(),
        "GET /style.css HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(missing.status, 400);
    let twice = send(
        server.addr(),
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(twice.status, 400);
}

#[test]
fn can_keep_a_connection_alive() {
    let site = Site::new();
    let server = site.serve();
    let mut stream = connect(server.addr());
    let port = server.addr().port();
    let ask = format!("GET /style.css HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    for _ in 0..3 {
        stream.write_all(ask.as_bytes()).unwrap();
        let reply = read_reply(&mut stream, false);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("connection"), Some("keep-alive"));
        assert_eq!(reply.body, CSS.as_bytes());
    }
    write!(
        stream,
        "GET /app.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let last = read_reply(&mut stream, false);
    assert_eq!(last.header("connection"), Some("close"));
    let mut rest = Vec::new();
    assert_eq!(
        stream.read_to_end(&mut rest).unwrap(),
        0,
        "server should close"
    );
}

#[test]
fn slow_and_oversized_requests_are_cut_off() {
    let site = Site::new();
    let server = site.serve_with(Settings {
        request_timeout: Duration::from_millis(300),
        ..test_settings()
    });
    // Half a request, then nothing: 408, and the connection closes.
    let started = Instant::now();
    let mut slow = connect(server.addr());
    slow.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    let reply = read_reply(&mut slow, false);
    assert_eq!(reply.status, 408);
    assert!(started.elapsed() < Duration::from_secs(3));
    // An idle connection is closed without a word.
    let mut idle = connect(server.addr());
    let mut rest = Vec::new();
    assert_eq!(idle.read_to_end(&mut rest).unwrap(), 0);

    let mut big = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Filler: ".to_owned();
    big.push_str(&"a".repeat(20 * 1024));
    big.push_str("\r\n\r\n");
    let mut stream = connect(server.addr());
    // The server may close before reading all of it.
    let _ = stream.write_all(big.as_bytes());
    assert_eq!(read_reply(&mut stream, false).status, 431);
}

// ---- binding ------------------------------------------------------------

#[test]
fn a_taken_explicit_port_is_an_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let opts = ServeOptions {
        port: Some(port),
        ..ServeOptions::new("public")
    };
    let err = DevServer::start(opts).err().expect("the port is taken");
    let message = format!("{err:#}");
    assert!(message.contains(&format!("port {port}")), "{message}");
    assert!(message.contains("taken"), "{message}");
}

#[test]
fn a_taken_default_port_falls_back_with_a_note() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let default_port = taken.local_addr().unwrap().port();
    let server = DevServer::start_with(
        ServeOptions::new("public"),
        Settings {
            default_port,
            ..test_settings()
        },
    )
    .unwrap();
    let port = server.addr().port();
    assert_ne!(port, default_port);
    assert_eq!(
        server.fallback(),
        Some(format!("port {default_port} is taken; using {port}"))
    );
    assert_eq!(server.url(), format!("http://127.0.0.1:{port}/"));
}

#[test]
fn a_free_default_port_is_used_without_a_note() {
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    let default_port = probe.local_addr().unwrap().port();
    drop(probe);
    let server = DevServer::start_with(
        ServeOptions::new("public"),
        Settings {
            default_port,
            ..test_settings()
        },
    )
    .unwrap();
    assert_eq!(server.addr().port(), default_port);
    assert_eq!(server.fallback(), None);
}

#[test]
fn dropping_the_server_frees_its_port() {
    let site = Site::new();
    let server = site.serve();
    let addr = server.addr();
    drop(server);
    TcpListener::bind(addr).expect("the port is free again");
}

#[test]
fn urls_bracket_ipv6_and_name_loopback_for_all_interfaces() {
    let url = |addr: &str| url_for(addr.parse().unwrap());
    assert_eq!(url("127.0.0.1:4004"), "http://127.0.0.1:4004/");
    assert_eq!(url("[::1]:4004"), "http://[::1]:4004/");
    assert_eq!(url("0.0.0.0:4004"), "http://127.0.0.1:4004/");
    assert_eq!(url("[::]:4005"), "http://[::1]:4005/");
}

#[test]
fn nothing_is_served_before_the_root_exists() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ServeOptions {
        port: Some(0),
        ..ServeOptions::new(dir.path().join("public"))
    };
    let server = DevServer::start_with(opts, test_settings()).unwrap();
    assert_eq!(get(&server, "/").status, 404);
    crate::fs::write_new(&dir.path().join("public/index.html"), b"<body>now</body>").unwrap();
    assert_eq!(get(&server, "/").status, 200);
}
