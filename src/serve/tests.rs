//! End-to-end tests: a real server on 127.0.0.1, raw requests over
//! `TcpStream`, and a hand-rolled WebSocket client.

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
        ping_every: Duration::from_secs(30),
        max_connections: MAX_CONNECTIONS,
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
fn can_serve_a_page_with_the_client_injected() {
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
        Some(reply.body.len().to_string().as_str())
    );
    let body = reply.text();
    let script = body
        .find("<script data-zhiku-live>")
        .expect("client injected");
    assert!(body[..script].ends_with("<h1>首页</h1>"), "{body}");
    assert!(body[script..].contains(LIVE_PATH_JSON));
    assert!(body.ends_with("</script>\n</body></html>\n"), "{body}");
    assert_eq!(body.replace(&body[script..body.len() - 15], ""), PAGE);
    // Nothing was written to disk.
    assert_eq!(
        crate::fs::read_to_string(&site.root().join("index.html")).unwrap(),
        PAGE
    );
}

/// How the socket path appears in the injected config.
const LIVE_PATH_JSON: &str = r#""path":"/__zhiku/live""#;

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
fn misses_without_a_404_page_are_plain_text_or_a_live_page() {
    let site = Site::new();
    let server = site.serve();
    let plain = get(&server, "/missing.png");
    assert_eq!(plain.status, 404);
    assert_eq!(
        plain.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(plain.text(), "404 Not Found\n");

    // A browser asking for a page gets one that shows build errors and
    // reloads once the page exists.
    let port = server.addr().port();
    let page = send(
        server.addr(),
        &format!(
            "GET /new-page/ HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/html,*/*;q=0.8\r\n\
             Connection: close\r\n\r\n"
        ),
    );
    assert_eq!(page.status, 404);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("<script data-zhiku-live>"));
}

#[test]
fn the_sites_404_page_gets_the_client() {
    let site = Site::new();
    site.write("public/404.html", "<html><body>custom 404</body></html>");
    let server = site.serve();
    let reply = get(&server, "/nope/");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let body = reply.text();
    assert!(
        body.starts_with("<html><body>custom 404<script data-zhiku-live>"),
        "{body}"
    );
    assert_eq!(
        reply.header("content-length"),
        Some(body.len().to_string().as_str())
    );
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
    assert!(
        page.text()
            .starts_with("<body>docs<script data-zhiku-live>")
    );
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

// ---- live reload --------------------------------------------------------

const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

/// Opens the live socket with the given `Origin` (and query).
fn upgrade(server: &DevServer, origin: Option<&str>, query: &str) -> (Reply, TcpStream) {
    let port = server.addr().port();
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    let mut stream = connect(server.addr());
    write!(
        stream,
        "GET /__zhiku/live{query} HTTP/1.1\r\nHost: localhost:{port}\r\n\
         Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {KEY}\r\n{origin}\r\n"
    )
    .unwrap();
    let reply = read_reply(&mut stream, false);
    (reply, stream)
}

fn own_origin(server: &DevServer) -> String {
    format!("http://localhost:{}", server.addr().port())
}

/// Reads one server frame, checking that it is unmasked and unfragmented.
fn read_frame(stream: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut head = [0; 2];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(head[0] & 0xF0, 0x80, "FIN set, no reserved bits");
    assert_eq!(head[1] & 0x80, 0, "server frames are unmasked");
    let len = match head[1] & 0x7F {
        126 => {
            let mut ext = [0; 2];
            stream.read_exact(&mut ext).unwrap();
            usize::from(u16::from_be_bytes(ext))
        }
        127 => {
            let mut ext = [0; 8];
            stream.read_exact(&mut ext).unwrap();
            usize::try_from(u64::from_be_bytes(ext)).unwrap()
        }
        len => usize::from(len),
    };
    let mut payload = vec![0; len];
    stream.read_exact(&mut payload).unwrap();
    (head[0] & 0x0F, payload)
}

fn read_json(stream: &mut TcpStream) -> serde_json::Value {
    let (op, payload) = read_frame(stream);
    assert_eq!(op, websocket::opcode::TEXT);
    serde_json::from_slice(&payload).unwrap()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn refuses_sockets_from_other_origins() {
    // RELIABILITY.md case 5.
    let site = Site::new();
    let server = site.serve();
    let port = server.addr().port();
    for origin in [
        None,
        Some("https://evil.example".to_owned()),
        Some(format!("http://evil.example:{port}")),
        Some("null".to_owned()),
        Some(format!("http://localhost:{}", port.wrapping_add(1))),
    ] {
        let (reply, _) = upgrade(&server, origin.as_deref(), "");
        assert_eq!(reply.status, 403, "{origin:?}");
        assert!(reply.header("sec-websocket-accept").is_none());
        assert!(reply.header("access-control-allow-origin").is_none());
    }
    assert_eq!(server.shared.hub.clients(), 0);
    // A plain GET of the socket path is not an upgrade.
    assert_eq!(get(&server, "/__zhiku/live").status, 426);
}

#[test]
fn can_deliver_reload_and_css_to_an_open_tab() {
    let site = Site::new();
    let server = site.serve();
    let (reply, mut socket) = upgrade(&server, Some(&own_origin(&server)), "?v=0");
    assert_eq!(reply.status, 101);
    assert_eq!(reply.header("upgrade"), Some("websocket"));
    assert_eq!(
        reply.header("sec-websocket-accept"),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
    // The greeting: the current errors (none).
    assert_eq!(
        read_json(&mut socket),
        serde_json::json!({"type": "errors", "problems": []})
    );

    server.notify(Event::Reload);
    assert_eq!(
        read_json(&mut socket),
        serde_json::json!({"type": "reload"})
    );
    server.notify(Event::Css);
    assert_eq!(read_json(&mut socket), serde_json::json!({"type": "css"}));
}

#[test]
fn can_be_notified_from_another_thread() {
    let site = Site::new();
    let server = std::sync::Arc::new(site.serve());
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut socket);
    let rebuild_loop = {
        let server = std::sync::Arc::clone(&server);
        std::thread::spawn(move || server.notify(Event::Reload))
    };
    rebuild_loop.join().unwrap();
    assert_eq!(
        read_json(&mut socket),
        serde_json::json!({"type": "reload"})
    );
}

fn problem(message: &str) -> Problem {
    Problem {
        file: "content/规章/a.md".into(),
        line: Some(4),
        column: None,
        message: message.into(),
        hint: None,
    }
}

#[test]
fn errors_reach_open_tabs_and_pages_loaded_later() {
    // RELIABILITY.md case 6 (the Rust side: the overlay uses textContent).
    let site = Site::new();
    let server = site.serve();
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "?v=0");
    read_json(&mut socket);

    let evil = "<img src=x onerror=alert(1)></script><script>alert(2)</script>";
    server.notify(Event::Errors(vec![problem(evil)]));
    let message = read_json(&mut socket);
    assert_eq!(message["type"], "errors");
    assert_eq!(message["problems"][0]["message"], evil);
    assert_eq!(message["problems"][0]["line"], 4);

    // A page loaded now carries the errors, escaped for its <script>.
    let body = get(&server, "/").text();
    assert!(!body.contains("<img src=x"), "{body}");
    assert!(body.contains(r"\u003cimg src=x onerror=alert(1)\u003e"));
    let script = &body[body.find("<script data-zhiku-live>").unwrap()..];
    assert_eq!(script.matches("</script>").count(), 1, "{script}");
    assert!(script.ends_with("</script>\n</body></html>\n"));

    // A tab that connects now is told at once.
    let (_, mut late) = upgrade(&server, Some(&own_origin(&server)), "?v=0");
    assert_eq!(read_json(&mut late)["problems"][0]["message"], evil);

    // A successful build clears them, for open tabs and new pages.
    server.notify(Event::Errors(vec![]));
    assert_eq!(
        read_json(&mut socket),
        serde_json::json!({"type": "errors", "problems": []})
    );
    assert!(get(&server, "/").text().contains(r#""problems":[]"#));
}

#[test]
fn a_tab_that_missed_a_rebuild_reloads_when_it_connects() {
    let site = Site::new();
    let server = site.serve();
    let page = get(&server, "/").text();
    assert!(page.contains(r#""version":0"#));
    server.notify(Event::Reload);
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "?v=0");
    assert_eq!(
        read_json(&mut socket),
        serde_json::json!({"type": "reload"})
    );
    let (_, mut current) = upgrade(&server, Some(&own_origin(&server)), "?v=1");
    assert_eq!(read_json(&mut current)["type"], "errors");
}

#[test]
fn answers_pings_and_closes() {
    let site = Site::new();
    let server = site.serve();
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut socket);
    socket
        .write_all(&websocket::mask_frame(
            websocket::opcode::PING,
            b"hi",
            [7, 1, 2, 3],
        ))
        .unwrap();
    assert_eq!(
        read_frame(&mut socket),
        (websocket::opcode::PONG, b"hi".to_vec())
    );
    // Text from the client is read and ignored.
    socket
        .write_all(&websocket::mask_frame(
            websocket::opcode::TEXT,
            b"{}",
            [1, 1, 1, 1],
        ))
        .unwrap();
    assert_eq!(server.shared.hub.clients(), 1);
    socket
        .write_all(&websocket::mask_frame(
            websocket::opcode::CLOSE,
            &1000u16.to_be_bytes(),
            [5, 6, 7, 8],
        ))
        .unwrap();
    assert_eq!(
        read_frame(&mut socket),
        (websocket::opcode::CLOSE, 1000u16.to_be_bytes().to_vec())
    );
    let mut rest = Vec::new();
    assert_eq!(socket.read_to_end(&mut rest).unwrap(), 0);
    wait_until("the tab to be dropped", || server.shared.hub.clients() == 0);
}

#[test]
fn drops_tabs_that_stop_answering() {
    let site = Site::new();
    let server = site.serve_with(Settings {
        ping_every: Duration::from_millis(100),
        ..test_settings()
    });
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut socket);
    assert_eq!(read_frame(&mut socket).0, websocket::opcode::PING);
    // No pong: dropped after another interval.
    wait_until("the dead tab to be dropped", || {
        server.shared.hub.clients() == 0
    });

    // A tab whose socket is gone is dropped by the next notify.
    let (_, gone) = upgrade(&server, Some(&own_origin(&server)), "");
    gone.shutdown(std::net::Shutdown::Both).unwrap();
    drop(gone);
    wait_until("the closed tab to be dropped", || {
        server.notify(Event::Css);
        server.shared.hub.clients() == 0
    });
}

#[test]
fn a_protocol_error_closes_the_socket() {
    let site = Site::new();
    let server = site.serve();
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut socket);
    // Unmasked client frame: RFC 6455 says close with 1002.
    socket.write_all(&[0x81, 0x02, b'h', b'i']).unwrap();
    assert_eq!(
        read_frame(&mut socket),
        (websocket::opcode::CLOSE, 1002u16.to_be_bytes().to_vec())
    );
    wait_until("the tab to be dropped", || server.shared.hub.clients() == 0);
}

#[test]
fn idle_connections_give_way_to_new_requests() {
    // Issue 13, case 8: silent sockets used to fill every slot for the
    // whole head deadline, and new connections were closed unanswered.
    let site = Site::new();
    let server = site.serve_with(Settings {
        max_connections: 3,
        ..test_settings()
    });
    let (_, mut tab) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut tab);
    let mut silent = connect(server.addr());
    let mut trickling = connect(server.addr());
    trickling.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    wait_until("three slots taken", || server.shared.slots.open() == 3);
    // Each answered connection is kept alive, and waits from then on: the
    // second request finds the trickling one the longest idle.
    let port = server.addr().port();
    let mut kept = Vec::new();
    for _ in 0..2 {
        let mut stream = connect(server.addr());
        write!(
            stream,
            "GET /style.css HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
        )
        .unwrap();
        assert_eq!(read_reply(&mut stream, false).status, 200);
        kept.push(stream);
    }
    // The idle ones went, oldest first (the trickling one with its unread
    // bytes, which may reset it); the live tab stayed and still hears
    // about rebuilds.
    let mut rest = Vec::new();
    assert_eq!(silent.read_to_end(&mut rest).unwrap(), 0);
    match trickling.read_to_end(&mut rest) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("the trickling connection stayed: {other:?}"),
    }
    assert_eq!(server.shared.slots.open(), 3);
    server.notify(Event::Reload);
    assert_eq!(read_json(&mut tab)["type"], "reload");
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
fn dropping_the_server_frees_its_port_and_closes_tabs() {
    let site = Site::new();
    let server = site.serve();
    let addr = server.addr();
    let (_, mut socket) = upgrade(&server, Some(&own_origin(&server)), "");
    read_json(&mut socket);
    drop(server);
    assert_eq!(
        read_frame(&mut socket),
        (websocket::opcode::CLOSE, 1001u16.to_be_bytes().to_vec())
    );
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
fn problems_come_from_diagnostics() {
    let d = Diagnostic::error("content/a.md", "bad front matter")
        .at(4, 7)
        .with_hint("close the --- block");
    assert_eq!(
        Problem::from(&d),
        Problem {
            file: "content/a.md".into(),
            line: Some(4),
            column: Some(7),
            message: "bad front matter".into(),
            hint: Some("close the --- block".into()),
        }
    );
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
