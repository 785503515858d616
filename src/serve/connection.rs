//! One connection: read requests, check and route each, write the
//! replies; a live-reload upgrade hands the socket over to `live.rs`.
//! While it waits for a request its slot may be taken for a new
//! connection (`slots.rs`), which shuts the socket down under it.

use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::Shared;
use super::host::HostPolicy;
use super::http::{self, Connection, Request, Response};
use super::live;
use super::path::{self, Located};
use super::slots::Slot;

/// Requests on one keep-alive connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;

/// What to do with a request.
enum Reply {
    Respond(Response),
    Upgrade(live::Upgrade),
}

/// Serves one accepted connection until it closes or is upgraded; `slot`
/// says when it is waiting for a request and when it is being answered.
pub(super) fn serve(stream: TcpStream, shared: &Shared, slot: &Slot) {
    let timeout = shared.settings.request_timeout;
    if stream.set_write_timeout(Some(timeout)).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut conn = Connection::new(stream);
    for served in 1..=MAX_REQUESTS_PER_CONNECTION {
        let request = match conn.read_request(timeout) {
            Ok(request) => request,
            Err(err) => {
                if let Some(response) = err.response() {
                    let _ = response.write_to(&mut conn.stream, false, false);
                }
                return;
            }
        };
        if !slot.answering() {
            return;
        }
        match reply(&request, shared) {
            Reply::Respond(response) => {
                let keep_alive = request.keep_alive()
                    && served < MAX_REQUESTS_PER_CONNECTION
                    && !matches!(response.status(), 400 | 403)
                    && !shared.stopping.load(Ordering::SeqCst);
                let head_only = request.method == "HEAD";
                if response
                    .write_to(&mut conn.stream, head_only, keep_alive)
                    .is_err()
                    || !keep_alive
                {
                    return;
                }
                slot.waiting();
            }
            Reply::Upgrade(upgrade) => {
                let (stream, pending) = conn.into_parts();
                live::session(
                    &shared.hub,
                    &upgrade,
                    stream,
                    pending,
                    shared.settings.ping_every,
                );
                return;
            }
        }
    }
}

/// Checks and routes one request.
fn reply(request: &Request, shared: &Shared) -> Reply {
    if let Err(refusal) = check_host(request, &shared.policy) {
        return Reply::Respond(refusal);
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Reply::Respond(
            Response::text(405, "zhiku serve only answers GET and HEAD")
                .with_header("Allow", "GET, HEAD"),
        );
    }
    let path_only = request.target.split(['?', '#']).next().unwrap_or_default();
    if path_only == live::LIVE_PATH {
        return match live::check_upgrade(request, &shared.policy) {
            Ok(upgrade) => Reply::Upgrade(upgrade),
            Err(refusal) => Reply::Respond(refusal),
        };
    }
    Reply::Respond(serve_file(request, shared))
}

/// 400 without exactly one `Host`; 403 for a name that is not ours.
fn check_host(request: &Request, policy: &HostPolicy) -> Result<(), Response> {
    if request.count("host") != 1 {
        return Err(Response::text(
            400,
            "the request needs exactly one Host header",
        ));
    }
    match request.header("host") {
        Some(host) if policy.allows_host(host) => Ok(()),
        _ => Err(Response::text(
            403,
            "zhiku serve only answers requests addressed to localhost, 127.0.0.1, [::1] \
             or the address it listens on, so that other websites cannot read it \
             (DNS rebinding). Open the address `zhiku serve` printed.",
        )),
    }
}

fn serve_file(request: &Request, shared: &Shared) -> Response {
    let Some(path) = path::parse_target(&request.target) else {
        return not_found(request, shared);
    };
    match path::locate(&shared.root, &path) {
        Located::File(file) => match crate::fs::read(&file) {
            Ok(bytes) => with_client(200, &file, bytes, &shared.hub),
            // Removed by a rebuild since it was located.
            Err(_) => not_found(request, shared),
        },
        Located::Redirect(location) => {
            Response::text(301, format!("see {location}")).with_header("Location", location)
        }
        Located::Missing => not_found(request, shared),
    }
}

/// A response for a file's bytes; HTML gets the reload client.
fn with_client(status: u16, file: &Path, bytes: Vec<u8>, hub: &live::Hub) -> Response {
    let content_type = http::content_type(file);
    let body = if content_type == http::HTML {
        live::inject(bytes, &hub.script())
    } else {
        bytes
    };
    Response::new(status, content_type, body)
}

/// The site's own `404.html` if it has one; otherwise, for a browser
/// asking for a page, a small page with the reload client (so that a page
/// that does not exist yet, or a site whose first build failed, shows the
/// errors and reloads when the build succeeds); otherwise plain text.
fn not_found(request: &Request, shared: &Shared) -> Response {
    let custom = path::parse_target("/404.html").map(|p| path::locate(&shared.root, &p));
    if let Some(Located::File(file)) = custom
        && let Ok(bytes) = crate::fs::read(&file)
    {
        return with_client(404, &file, bytes, &shared.hub);
    }
    if request.accepts("text/html") {
        const PAGE: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\">\
            <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
            <title>404 Not Found</title></head>\n<body><h1>404 Not Found</h1>\
            <p>Nothing is here (yet). This page reloads by itself after the next \
            successful build.</p>\n</body></html>\n";
        return with_client(404, Path::new("404.html"), PAGE.into(), &shared.hub);
    }
    Response::text(404, "404 Not Found")
}
