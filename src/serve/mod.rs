//! The HTTP side of `zhiku serve`: a small static file server for the
//! output folder, with live reload.
//!
//! The watcher and rebuild loop sit elsewhere and drive this module through
//! a small API:
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! use zhiku::serve::{DevServer, Event, ServeOptions};
//! let server = DevServer::start(ServeOptions::new("public"))?;
//! if let Some(note) = server.fallback() {
//!     eprintln!("{note}");
//! }
//! println!("serving at {}", server.url());
//! // … after each rebuild:
//! server.notify(Event::Reload); // or Event::Css, or Event::Errors(problems)
//! # Ok(()) }
//! ```
//!
//! What it does:
//!
//! 1. [`DevServer::start`] binds ([`ServeOptions`]; port 4004 by default,
//!    another free port if that is taken) and serves on background threads,
//!    one per connection, with HTTP/1.1 keep-alive. At most 256 are served
//!    at once (`MAX_CONNECTIONS`); when all are taken, the one that has
//!    waited longest for a request is closed to make room (`slots.rs`).
//! 2. On each connection (`connection.rs`) every `GET`/`HEAD` is checked
//!    (`host.rs`), mapped to a file under the root (`path.rs`) and answered
//!    (`http.rs`); HTML pages get the reload client injected (`live.rs`),
//!    which is never written to disk, so `zhiku build` output never
//!    contains it.
//! 3. [`DevServer::notify`] tells every open tab over a WebSocket
//!    (`websocket.rs`) to reload, refresh its stylesheets, or show the build
//!    errors in an overlay. The server remembers the errors, so a page
//!    loaded while the site is broken shows them at once.
//!
//! What it refuses, and why. Dev servers have been a way into developers'
//! machines: Zola served files outside its output folder (CVE-2023-40274),
//! as did MkDocs (CVE-2021-40978) and Vite, many times; and any website
//! could read a Vite dev server, because it checked neither `Host` nor
//! `Origin` (CVE-2025-24010). So this server:
//!
//! - answers only to its own names (`localhost`, `127.0.0.1`, `[::1]`, the
//!   bound address; any IP literal when bound to all interfaces), which
//!   defeats DNS rebinding: other names get 403, no `Host` 400;
//! - decodes a path once, refuses `..`, `//`, backslashes, NUL, drive
//!   letters and encoded slashes, canonicalises, and serves only what lies
//!   inside the canonical root (no symlinks out) — everything else is 404;
//! - accepts the live-reload socket only from its own origin (403 for a
//!   missing or foreign `Origin`);
//! - never sends `Access-Control-Allow-Origin`, and sends
//!   `Cross-Origin-Resource-Policy: same-origin` so other sites cannot embed
//!   its files either;
//! - answers only `GET` and `HEAD` (405 otherwise), reads at most 16 KiB of
//!   request head within a deadline, closes the longest-idle connection
//!   when connections run short, and drops tabs that stop answering pings,
//!   so a slow, dead or silent client cannot hold a thread for long, nor
//!   a thousand of them starve the server (issue 13).
//!
//! Everything is served with `Cache-Control: no-store`: an editor must see
//! the file as it is now.

mod connection;
mod host;
mod http;
mod live;
mod path;
mod slots;
mod websocket;

#[cfg(test)]
mod tests;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::tr;
use host::HostPolicy;
use slots::Slots;

/// The port `zhiku serve` tries first when none is given.
pub const DEFAULT_PORT: u16 = 4004;

/// How many ports after the default to try before taking any free one, so
/// that a second `zhiku serve` gets a predictable address.
const NEARBY_PORTS: u16 = 10;

/// The most connections served at once (live-reload tabs included), each
/// on a thread; past it, connections waiting for a request give way to
/// new ones (`slots.rs`).
const MAX_CONNECTIONS: usize = 256;

/// How many connections may wait to be accepted (see `widen_backlog`).
#[cfg(unix)]
const LISTEN_BACKLOG: libc::c_int = 1024;

/// Where and what to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The address to listen on. Loopback unless the user asks otherwise:
    /// an unspecified address (`0.0.0.0`, `::`) exposes the site to the LAN.
    pub bind: IpAddr,
    /// The port; `None` for [`DEFAULT_PORT`] or, if taken, another free
    /// one; `Some(0)` for any free port.
    pub port: Option<u16>,
    /// The folder to serve: the site's output.
    pub root: PathBuf,
}

impl ServeOptions {
    /// Serve `root` on `127.0.0.1`, default port.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            root: root.into(),
        }
    }
}

/// What a rebuild did, for the open tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site changed: reload every page. Clears remembered errors.
    Reload,
    /// Only stylesheets changed: swap them without a reload. Clears
    /// remembered errors (the build succeeded); a tab that was showing them
    /// reloads instead.
    Css,
    /// The build failed with these problems: show them over the page, and
    /// over every page loaded until the next successful build. An empty
    /// list clears them.
    Errors(Vec<Problem>),
}

/// One build error as the browser overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file, as the user knows it (relative to the site).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when known.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Self {
        Self {
            file: d.path.display().to_string(),
            line: d.line.and_then(|l| u32::try_from(l).ok()),
            column: d.column.and_then(|c| u32::try_from(c).ok()),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// A running dev server. Serving stops when it is dropped.
pub struct DevServer {
    addr: SocketAddr,
    fallback: Option<String>,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

/// Knobs that tests turn; [`Settings::default`] is what `zhiku serve` uses.
#[derive(Debug, Clone, Copy)]
struct Settings {
    default_port: u16,
    /// Time to read one request head, and to wait for the next request on
    /// an idle keep-alive connection; also the write timeout.
    request_timeout: Duration,
    /// A quiet live-reload socket is pinged after this long, and dropped
    /// after twice this long.
    ping_every: Duration,
    /// The most connections served at once.
    max_connections: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_port: DEFAULT_PORT,
            request_timeout: Duration::from_secs(10),
            ping_every: Duration::from_secs(20),
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// What every connection thread needs.
struct Shared {
    root: PathBuf,
    policy: HostPolicy,
    hub: live::Hub,
    settings: Settings,
    stopping: AtomicBool,
    slots: Arc<Slots>,
}

impl DevServer {
    /// Binds and starts serving files under `opts.root` on background
    /// threads.
    ///
    /// With `port: None` it listens on [`DEFAULT_PORT`] or, if that is
    /// taken, on a nearby or any free port, which [`DevServer::fallback`]
    /// reports. With `Some(p)` a taken port is an error saying so;
    /// `Some(0)` takes any free port. The root need not exist yet: until it
    /// does every request is a 404 (with the reload client, for pages).
    pub fn start(opts: ServeOptions) -> Result<DevServer> {
        Self::start_with(opts, Settings::default())
    }

    fn start_with(opts: ServeOptions, settings: Settings) -> Result<DevServer> {
        let (listener, fallback) = bind(opts.bind, opts.port, settings.default_port)?;
        widen_backlog(&listener);
        let addr = listener
            .local_addr()
            .with_context(|| tr!("serve.no_address"))?;
        let shared = Arc::new(Shared {
            root: opts.root,
            policy: HostPolicy::new(addr),
            hub: live::Hub::default(),
            settings,
            stopping: AtomicBool::new(false),
            slots: Arc::new(Slots::new(settings.max_connections)),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("zhiku-serve".into())
                .spawn(move || accept_loop(&listener, &shared))
                .with_context(|| tr!("serve.no_thread"))?
        };
        Ok(DevServer {
            addr,
            fallback,
            shared,
            accept: Some(accept),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open, e.g. `http://127.0.0.1:4004/` or
    /// `http://[::1]:4004/`; for a server on all interfaces, its loopback
    /// URL.
    pub fn url(&self) -> String {
        url_for(self.addr)
    }

    /// When listening on every address (`--bind 0.0.0.0`), the address
    /// other devices on the network use: this machine's address on the
    /// route out (found by connecting a UDP socket, which sends nothing).
    pub fn network_url(&self) -> Option<String> {
        if !self.addr.ip().is_unspecified() {
            return None;
        }
        let probe = match self.addr.ip() {
            IpAddr::V4(_) => std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
                .and_then(|s| s.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).map(|()| s)),
            IpAddr::V6(_) => std::net::UdpSocket::bind((Ipv6Addr::UNSPECIFIED, 0)).and_then(|s| {
                s.connect((Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9))
                    .map(|()| s)
            }),
        };
        let ip = probe.ok()?.local_addr().ok()?.ip();
        (!ip.is_loopback() && !ip.is_unspecified())
            .then(|| format!("http://{}/", SocketAddr::new(ip, self.addr.port())))
    }

    /// A note for the user when the default port was taken and another one
    /// is used, e.g. "port 4004 is taken; using 4005".
    pub fn fallback(&self) -> Option<String> {
        self.fallback.clone()
    }

    /// Tells every open tab what a rebuild did, and remembers it for pages
    /// loaded later (see [`Event`]).
    /// The overlay speaks `lang` (the site's language) from now on.
    pub fn set_lang(&self, lang: crate::messages::Lang) {
        self.shared.hub.set_lang(lang);
    }

    pub fn notify(&self, event: Event) {
        self.shared.hub.notify(event);
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop with a connection of our own so that it sees
        // the flag and drops the listener, freeing the port.
        let wake = SocketAddr::new(loopback_if_unspecified(self.addr.ip()), self.addr.port());
        let woken = TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok();
        if let Some(accept) = self.accept.take()
            && woken
        {
            let _ = accept.join();
        }
        self.shared.hub.close_all();
    }
}

/// `http://ip:port/`, IPv6 bracketed, loopback for an unspecified address.
fn url_for(addr: SocketAddr) -> String {
    let ip = loopback_if_unspecified(addr.ip());
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn loopback_if_unspecified(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// Binds the listener; the second value is the fallback note.
fn bind(ip: IpAddr, port: Option<u16>, default_port: u16) -> Result<(TcpListener, Option<String>)> {
    if let Some(port) = port {
        return match TcpListener::bind((ip, port)) {
            Ok(listener) => Ok((listener, None)),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                bail!(tr!("serve.port_taken", port = port, ip = ip))
            }
            Err(e) => Err(e)
                .with_context(|| tr!("serve.cannot_listen", address = SocketAddr::new(ip, port))),
        };
    }
    let nearby = (1..=NEARBY_PORTS).filter_map(|i| default_port.checked_add(i));
    for candidate in std::iter::once(default_port).chain(nearby).chain([0]) {
        match TcpListener::bind((ip, candidate)) {
            Ok(listener) if candidate == default_port => return Ok((listener, None)),
            Ok(listener) => {
                let used = listener.local_addr().map_or(candidate, |a| a.port());
                let note = tr!("serve.port_fallback", port = default_port, used = used);
                return Ok((listener, Some(note)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    tr!(
                        "serve.cannot_listen",
                        address = SocketAddr::new(ip, candidate)
                    )
                });
            }
        }
    }
    bail!(tr!("serve.no_free_port", ip = ip))
}

/// Lets up to [`LISTEN_BACKLOG`] connections wait to be accepted (the
/// kernel may cap it: `net.core.somaxconn` on Linux).
///
/// std listens with a backlog of 128. When a burst of connections
/// outruns the accept loop (issue 13's thousand idle sockets), Linux drops
/// the SYNs past it and clients retry only after a second or more: a
/// thousand connections took 3-5 s to open, and a request made during the
/// burst would miss the issue's 1 s. Calling
/// `listen` again on a listening socket just sets the new backlog; if that
/// fails, 128 it stays.
#[cfg(unix)]
fn widen_backlog(listener: &TcpListener) {
    use std::os::fd::AsRawFd;
    // SAFETY: `listen` on a socket descriptor we own, open for the call.
    unsafe { libc::listen(listener.as_raw_fd(), LISTEN_BACKLOG) };
}

#[cfg(not(unix))]
fn widen_backlog(_: &TcpListener) {}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors, say: let some connections end.
            thread::sleep(Duration::from_millis(20));
            continue;
        };
        let Some(slot) = shared.slots.admit(&stream) else {
            continue;
        };
        let shared = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("zhiku-serve-connection".into())
            .spawn(move || connection::serve(stream, &shared, &slot));
        // If no thread can be had, the closure (stream, slot) is dropped:
        // the connection closes and the slot is freed.
        drop(spawned);
    }
}
