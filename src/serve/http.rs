//! HTTP/1.1 on a blocking socket: reading bounded requests, writing
//! responses, and content types.
//!
//! httparse does the parsing; this module adds the limits a server needs so
//! that a slow or hostile client cannot hold a thread or memory for long: a
//! request head of at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers,
//! read within one deadline (trickling a byte at a time does not reset it).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) we read.
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;

/// A parsed request head. A body is never read (GET and HEAD have none);
/// a request that announces one is answered, then the connection closed.
#[derive(Debug)]
pub(super) struct Request {
    pub(super) method: String,
    pub(super) target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub(super) minor_version: u8,
    headers: Vec<(String, Vec<u8>)>,
}

impl Request {
    /// How many headers named `name` (case-insensitive) the request has.
    pub(super) fn count(&self, name: &str) -> usize {
        self.values(name).count()
    }

    /// The value of the header `name`, when there is exactly one and it is
    /// UTF-8; leading and trailing whitespace removed.
    pub(super) fn header<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut values = self.values(name);
        let only = values.next()?;
        if values.next().is_some() {
            return None;
        }
        std::str::from_utf8(only).ok().map(str::trim)
    }

    /// Whether any header `name` lists `token` among its comma-separated
    /// values (case-insensitive), as in `Connection: keep-alive, Upgrade`.
    pub(super) fn has_token(&self, name: &str, token: &str) -> bool {
        self.values(name)
            .filter_map(|v| std::str::from_utf8(v).ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether an `Accept` header names `media` (parameters such as `;q=`
    /// ignored); wildcards do not count.
    pub(super) fn accepts(&self, media: &str) -> bool {
        self.values("accept")
            .filter_map(|v| std::str::from_utf8(v).ok())
            .flat_map(|v| v.split(','))
            .filter_map(|t| t.split(';').next())
            .any(|t| t.trim().eq_ignore_ascii_case(media))
    }

    /// Whether the connection may carry another request after this one.
    pub(super) fn keep_alive(&self) -> bool {
        let announces_body = self.count("transfer-encoding") > 0
            || (self.count("content-length") > 0 && self.header("content-length") != Some("0"));
        self.minor_version == 1 && !self.has_token("connection", "close") && !announces_body
    }

    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ReadError {
    /// The client closed the connection (or it broke) between requests.
    Closed,
    /// The deadline passed; `partial` if part of a request had arrived.
    TimedOut { partial: bool },
    /// The head is over [`MAX_HEAD`] bytes or [`MAX_HEADERS`] headers.
    TooLarge,
    /// Not HTTP/1.x.
    Malformed,
}

impl ReadError {
    /// The response to send before closing, if any.
    pub(super) fn response(&self) -> Option<Response> {
        match self {
            Self::Closed | Self::TimedOut { partial: false } => None,
            Self::TimedOut { partial: true } => Some(Response::text(408, "request timed out")),
            Self::TooLarge => Some(Response::text(
                431,
                format!("the request head is over {MAX_HEAD} bytes or {MAX_HEADERS} headers"),
            )),
            Self::Malformed => Some(Response::text(400, "not an HTTP/1.x request")),
        }
    }
}

/// A client connection with the bytes read past the last request.
pub(super) struct Connection {
    pub(super) stream: TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    /// Wraps an accepted stream.
    pub(super) fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    /// The stream and any bytes already read beyond the last request (the
    /// start of a WebSocket client's first frame, say).
    pub(super) fn into_parts(self) -> (TcpStream, Vec<u8>) {
        (self.stream, self.buf)
    }

    /// Reads the next request head within `timeout`.
    pub(super) fn read_request(&mut self, timeout: Duration) -> Result<Request, ReadError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(request) = self.parse_buffered()? {
                return Ok(request);
            }
            let room = MAX_HEAD - self.buf.len();
            if room == 0 {
                return Err(ReadError::TooLarge);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let partial = !self.buf.is_empty();
            if remaining.is_zero() || self.stream.set_read_timeout(Some(remaining)).is_err() {
                return Err(ReadError::TimedOut { partial });
            }
            let mut chunk = [0; 4096];
            let want = room.min(chunk.len());
            match self.stream.read(&mut chunk[..want]) {
                Ok(0) if partial => return Err(ReadError::Malformed),
                Ok(0) => return Err(ReadError::Closed),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(ReadError::TimedOut { partial });
                }
                Err(_) => return Err(ReadError::Closed),
            }
        }
    }

    /// A complete request from the buffer, removing its bytes.
    fn parse_buffered(&mut self) -> Result<Option<Request>, ReadError> {
        if self.buf.is_empty() {
            return Ok(None);
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        let used = match parsed.parse(&self.buf) {
            Ok(httparse::Status::Complete(used)) => used,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => return Err(ReadError::TooLarge),
            Err(_) => return Err(ReadError::Malformed),
        };
        let (Some(method), Some(target), Some(minor_version)) =
            (parsed.method, parsed.path, parsed.version)
        else {
            return Err(ReadError::Malformed);
        };
        let request = Request {
            method: method.to_owned(),
            target: target.to_owned(),
            minor_version,
            headers: parsed
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect(),
        };
        self.buf.drain(..used);
        Ok(Some(request))
    }
}

/// A response, written in one go.
#[derive(Debug)]
pub(super) struct Response {
    status: u16,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A response with a body of the given type.
    pub(super) fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }

    /// A short plain-text response.
    pub(super) fn text(status: u16, message: impl Into<String>) -> Self {
        let mut body = message.into();
        body.push('\n');
        Self::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    /// Adds a header.
    #[must_use]
    pub(super) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status code.
    pub(super) fn status(&self) -> u16 {
        self.status
    }

    /// Writes the response; without the body for HEAD (the headers are the
    /// same as for GET, `Content-Length` included).
    pub(super) fn write_to(
        &self,
        out: &mut impl Write,
        head_only: bool,
        keep_alive: bool,
    ) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n\
             Content-Type: {}\r\n\
             Content-Length: {}\r\n\
             Cache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n\
             Cross-Origin-Resource-Policy: same-origin\r\n\
             Connection: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len(),
            if keep_alive { "keep-alive" } else { "close" },
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        out.write_all(&bytes)?;
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        _ => "Unknown",
    }
}

/// The `Content-Type` for a file, by extension (case-insensitive); text
/// types say UTF-8, which is what zhiku writes.
pub(super) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The content type of HTML pages, into which the reload client goes.
pub(super) const HTML: &str = "text/html; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn can_pick_content_types() {
        for (name, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("A.HTML", "text/html; charset=utf-8"),
            ("s.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("i.svg", "image/svg+xml; charset=utf-8"),
            ("p.png", "image/png"),
            ("p.jpg", "image/jpeg"),
            ("p.jpeg", "image/jpeg"),
            ("p.webp", "image/webp"),
            ("p.gif", "image/gif"),
            ("favicon.ico", "image/x-icon"),
            ("f.woff2", "font/woff2"),
            ("f.woff", "font/woff"),
            ("d.json", "application/json; charset=utf-8"),
            ("app.js.map", "application/json; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("doc.pdf", "application/pdf"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("archive.zip", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn head_responses_keep_the_length_and_drop_the_body() {
        let response = Response::text(200, "hello");
        let mut get = Vec::new();
        response.write_to(&mut get, false, true).unwrap();
        let mut head = Vec::new();
        response.write_to(&mut head, true, false).unwrap();
        let get = String::from_utf8(get).unwrap();
        let head = String::from_utf8(head).unwrap();
        assert!(get.ends_with("\r\n\r\nhello\n"), "{get}");
        assert!(head.ends_with("\r\n\r\n"), "{head}");
        assert!(head.contains("Content-Length: 6\r\n"), "{head}");
        assert!(get.contains("Connection: keep-alive\r\n"));
        assert!(head.contains("Connection: close\r\n"));
        assert!(!get.to_ascii_lowercase().contains("access-control"));
    }

    /// A connected pair: what the client writes, the server's `Connection`.
    fn pair(client_bytes: &[u8]) -> (Connection, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(client_bytes).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Connection::new(server), client)
    }

    #[test]
    fn can_read_pipelined_requests() {
        let (mut conn, _client) = pair(
            b"GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /b HTTP/1.0\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        let first = conn.read_request(Duration::from_secs(5)).unwrap();
        assert_eq!(
            (first.method.as_str(), first.target.as_str()),
            ("GET", "/a")
        );
        assert!(first.keep_alive());
        assert_eq!(first.header("HOST"), Some("localhost"));
        let second = conn.read_request(Duration::from_secs(5)).unwrap();
        assert_eq!(
            (second.method.as_str(), second.target.as_str()),
            ("HEAD", "/b")
        );
        assert!(!second.keep_alive());
        assert!(second.has_token("connection", "Close"));
    }

    #[test]
    fn requests_with_a_body_close_the_connection() {
        let (mut conn, _client) =
            pair(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
        let request = conn.read_request(Duration::from_secs(5)).unwrap();
        assert!(!request.keep_alive());
        let (mut conn, _client) =
            pair(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        assert!(
            conn.read_request(Duration::from_secs(5))
                .unwrap()
                .keep_alive()
        );
    }

    #[test]
    fn rejects_oversized_and_malformed_heads() {
        let mut big = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_HEAD));
        let (mut conn, _client) = pair(&big);
        assert_eq!(
            conn.read_request(Duration::from_secs(5)).unwrap_err(),
            ReadError::TooLarge
        );
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            many.extend(format!("X-{i}: 1\r\n").bytes());
        }
        many.extend(b"\r\n");
        let (mut conn, _client) = pair(&many);
        assert_eq!(
            conn.read_request(Duration::from_secs(5)).unwrap_err(),
            ReadError::TooLarge
        );
        let (mut conn, _client) = pair(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assert_eq!(
            conn.read_request(Duration::from_secs(5)).unwrap_err(),
            ReadError::Malformed
        );
    }

    #[test]
    fn a_trickling_client_times_out() {
        let (mut conn, mut client) = pair(b"GET / HT");
        let writer = std::thread::spawn(move || {
            // One byte every 50 ms would reset a per-read timeout forever.
            for b in b"TP/1.1\r\nHost: localhost\r\n" {
                if client.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let started = Instant::now();
        let err = conn.read_request(Duration::from_millis(300)).unwrap_err();
        assert_eq!(err, ReadError::TimedOut { partial: true });
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(conn);
        writer.join().unwrap();
    }
}
