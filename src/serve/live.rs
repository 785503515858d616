//! Live reload: the hub of open tabs, the WebSocket session with each tab,
//! and the client script put into every HTML page at serve time.
//!
//! The hub keeps a content version (bumped by every rebuild that changed
//! the site) and the current build errors. A page carries both in its
//! script, and its socket reports the version back when it connects, so a
//! rebuild that finished between serving the page and opening the socket
//! still reloads it, and a page loaded while the site is broken shows the
//! errors at once.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;

use super::host::HostPolicy;
use super::http::{Request, Response};
use super::websocket::{self, Frame, FrameError, opcode};
use super::{Event, Problem};
use crate::messages::{self, Lang};

/// The path of the live-reload socket. Nothing a site writes is served
/// here: zhiku's slugs never start with `__`.
pub(super) const LIVE_PATH: &str = "/__zhiku/live";

/// How long a write to one tab may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// The client; its last line calls it with [`CONFIG_PLACEHOLDER`].
const CLIENT_JS: &str = include_str!("client.js");
const CONFIG_PLACEHOLDER: &str = "__ZHIKU_LIVE_CONFIG__";

/// A message to the open tabs, as JSON: `{"type":"reload"}`,
/// `{"type":"css"}` or `{"type":"errors","problems":[...]}`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Message<'a> {
    Reload,
    Css,
    Errors { problems: &'a [Problem] },
}

impl Message<'_> {
    fn frame(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).expect("messages serialise");
        websocket::encode(opcode::TEXT, &json)
    }
}

/// The open tabs and what they need to know.
#[derive(Default)]
pub(super) struct Hub {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Bumped by every event that changed the site's files.
    version: u64,
    /// The errors of the last build; empty when it succeeded.
    problems: Vec<Problem>,
    clients: Vec<Client>,
    next_id: u64,
    /// The language of the overlay's own words: the site's.
    lang: Option<Lang>,
}

struct Client {
    id: u64,
    /// A handle for writing; the session thread reads from its own.
    stream: TcpStream,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere leaves the state whole (every update is one
        // assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the language of the overlay's own words (its title, the
    /// dismiss button, "hint"), the site's language.
    pub(super) fn set_lang(&self, lang: Lang) {
        self.lock().lang = Some(lang);
    }

    /// Records an event and tells every open tab; tabs whose socket fails
    /// are dropped.
    pub(super) fn notify(&self, event: Event) {
        let mut state = self.lock();
        let frame = match event {
            Event::Reload => {
                state.version += 1;
                state.problems.clear();
                Message::Reload.frame()
            }
            // A page that showed errors may be out of date in more than its
            // styles: reload it.
            Event::Css if !state.problems.is_empty() => {
                state.version += 1;
                state.problems.clear();
                Message::Reload.frame()
            }
            Event::Css => {
                state.version += 1;
                Message::Css.frame()
            }
            Event::Errors(problems) => {
                state.problems = problems;
                Message::Errors {
                    problems: &state.problems,
                }
                .frame()
            }
        };
        state
            .clients
            .retain_mut(|client| client.stream.write_all(&frame).is_ok());
    }

    /// The `<script>` element for a page served now.
    pub(super) fn script(&self) -> String {
        #[derive(Serialize)]
        struct Config<'a> {
            path: &'a str,
            version: u64,
            problems: &'a [Problem],
            words: Words,
        }
        /// The overlay's words; `{n}` and `{message}` are filled in the page.
        #[derive(Serialize)]
        struct Words {
            one: &'static str,
            many: &'static str,
            dismiss: &'static str,
            hint: &'static str,
        }
        let state = self.lock();
        let lang = state.lang.unwrap_or_else(messages::lang);
        let config = Config {
            path: LIVE_PATH,
            version: state.version,
            problems: &state.problems,
            words: Words {
                one: messages::text_in(lang, "serve.overlay_one"),
                many: messages::text_in(lang, "serve.overlay_many"),
                dismiss: messages::text_in(lang, "serve.dismiss"),
                hint: messages::text_in(lang, "cli.hint"),
            },
        };
        let json = serde_json::to_string(&config).expect("config serialises");
        let js = CLIENT_JS.replace(CONFIG_PLACEHOLDER, &script_safe(&json));
        format!("<script data-zhiku-live>\n{js}</script>\n")
    }

    /// Completes the handshake and registers the tab, telling it the
    /// current state: `reload` if the page it has is older than the site,
    /// else the current errors (possibly none, which clears an overlay the
    /// page was served with). Done under the lock so that no event can slip
    /// in between. Returns the tab's id.
    fn attach(&self, stream: &TcpStream, handshake: &[u8], seen: Option<u64>) -> io::Result<u64> {
        let mut state = self.lock();
        let mut writer = stream.try_clone()?;
        let greeting = if seen.is_some_and(|v| v != state.version) {
            Message::Reload.frame()
        } else {
            Message::Errors {
                problems: &state.problems,
            }
            .frame()
        };
        writer.write_all(handshake)?;
        writer.write_all(&greeting)?;
        state.next_id += 1;
        let id = state.next_id;
        state.clients.push(Client { id, stream: writer });
        Ok(id)
    }

    /// Sends a frame to one tab; false if it is gone.
    fn send(&self, id: u64, frame: &[u8]) -> bool {
        let mut state = self.lock();
        let Some(client) = state.clients.iter_mut().find(|c| c.id == id) else {
            return false;
        };
        client.stream.write_all(frame).is_ok()
    }

    fn detach(&self, id: u64) {
        self.lock().clients.retain(|c| c.id != id);
    }

    /// Says goodbye (1001, going away) to every tab and closes the sockets;
    /// their session threads then end.
    pub(super) fn close_all(&self) {
        let goodbye = websocket::encode(opcode::CLOSE, &1001u16.to_be_bytes());
        for mut client in self.lock().clients.drain(..) {
            let _ = client.stream.write_all(&goodbye);
            let _ = client.stream.shutdown(Shutdown::Both);
        }
    }

    /// How many tabs are connected.
    #[cfg(test)]
    pub(super) fn clients(&self) -> usize {
        self.lock().clients.len()
    }
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` escaped so
/// that no `</script>` or `<!--` can appear, and U+2028/U+2029 escaped for
/// older JavaScript parsers. Outside strings JSON has none of these, and
/// inside strings `\uXXXX` means the same character.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Puts `snippet` before the last `</body` (any case), or at the end if the
/// page has none.
pub(super) fn inject(mut html: Vec<u8>, snippet: &str) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
    html
}

/// An accepted upgrade: what the session needs.
#[derive(Debug)]
pub(super) struct Upgrade {
    key: String,
    /// The content version the page was served with (`?v=`).
    seen: Option<u64>,
}

/// Checks a request for the live socket: a WebSocket upgrade (RFC 6455
/// §4.2.1) from one of this server's own pages. Anything else gets the
/// response to send back; a missing or foreign `Origin` is 403, as other
/// websites' scripts may open WebSockets to localhost freely.
pub(super) fn check_upgrade(request: &Request, policy: &HostPolicy) -> Result<Upgrade, Response> {
    let is_upgrade = request.method == "GET"
        && request.has_token("upgrade", "websocket")
        && request.has_token("connection", "upgrade");
    if !is_upgrade {
        return Err(Response::text(426, "this is zhiku's live-reload WebSocket")
            .with_header("Upgrade", "websocket"));
    }
    if !request
        .header("origin")
        .is_some_and(|o| policy.allows_origin(o))
    {
        return Err(Response::text(
            403,
            "live reload only accepts connections from this server's own pages",
        ));
    }
    if request.header("sec-websocket-version") != Some("13") {
        return Err(Response::text(426, "WebSocket version 13 is required")
            .with_header("Sec-WebSocket-Version", "13"));
    }
    let Some(key) = request
        .header("sec-websocket-key")
        .filter(|k| websocket::is_valid_key(k))
    else {
        return Err(Response::text(
            400,
            "missing or malformed Sec-WebSocket-Key",
        ));
    };
    let seen = request
        .target
        .split_once('?')
        .and_then(|(_, query)| query.split('&').find_map(|kv| kv.strip_prefix("v=")))
        .and_then(|v| v.parse().ok());
    Ok(Upgrade {
        key: key.to_owned(),
        seen,
    })
}

/// Runs one tab's socket until it closes, breaks, or stops answering pings.
/// `pending` holds bytes read past the handshake request.
pub(super) fn session(
    hub: &Hub,
    upgrade: &Upgrade,
    stream: TcpStream,
    pending: Vec<u8>,
    ping_every: Duration,
) {
    let handshake = format!(
        "HTTP/1.1 101 Switching Protocols\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        websocket::accept_key(&upgrade.key)
    );
    // Messages are tiny; a tab that cannot take one within this time has
    // stopped reading, and must not hold up `notify` for the others.
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let Ok(id) = hub.attach(&stream, handshake.as_bytes(), upgrade.seen) else {
        return;
    };
    read_frames(hub, id, &stream, pending, ping_every);
    hub.detach(id);
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads and answers the client's frames. A quiet client is pinged after
/// `ping_every`; one that stays quiet for another `ping_every` is dead.
fn read_frames(hub: &Hub, id: u64, mut stream: &TcpStream, mut buf: Vec<u8>, ping_every: Duration) {
    if stream.set_read_timeout(Some(ping_every)).is_err() {
        return;
    }
    let mut awaiting_pong = false;
    loop {
        loop {
            match websocket::decode(&buf) {
                Ok(None) => break,
                Ok(Some((frame, used))) => {
                    buf.drain(..used);
                    if !answer(hub, id, &frame) {
                        return;
                    }
                }
                Err(err) => {
                    hub.send(id, &close_frame(&err));
                    return;
                }
            }
        }
        let mut chunk = [0; 1024];
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                awaiting_pong = false;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if awaiting_pong || !hub.send(id, &websocket::encode(opcode::PING, b"")) {
                    return;
                }
                awaiting_pong = true;
            }
            Err(_) => return,
        }
    }
}

/// Answers one client frame; false when the session is over.
fn answer(hub: &Hub, id: u64, frame: &Frame) -> bool {
    match frame.opcode {
        opcode::PING => hub.send(id, &websocket::encode(opcode::PONG, &frame.payload)),
        opcode::CLOSE => {
            // Echo the status code (RFC 6455 §5.5.1).
            let code = frame.payload.get(..2).unwrap_or_default();
            hub.send(id, &websocket::encode(opcode::CLOSE, code));
            false
        }
        // Pongs, and messages we have no use for.
        _ => true,
    }
}

fn close_frame(err: &FrameError) -> Vec<u8> {
    websocket::encode(opcode::CLOSE, &err.status().to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(message: &str) -> Problem {
        Problem {
            file: "content/a.md".into(),
            line: Some(4),
            column: Some(2),
            message: message.into(),
            hint: Some("a hint & more".into()),
        }
    }

    #[test]
    fn can_inject_before_the_last_body_close() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(page, "<script>x</script>")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script>x</script></BODY></html>"
        );
        let bare = String::from_utf8(inject(b"<p>hi".to_vec(), "<s>")).unwrap();
        assert_eq!(bare, "<p>hi<s>");
    }

    #[test]
    fn client_has_one_placeholder_and_cannot_close_its_script() {
        assert_eq!(CLIENT_JS.matches(CONFIG_PLACEHOLDER).count(), 1);
        let lower = CLIENT_JS.to_ascii_lowercase();
        assert!(!lower.contains("</script"));
        assert!(!lower.contains("<!--"));
        assert!(!CLIENT_JS.contains("innerHTML"));
    }

    #[test]
    fn the_overlay_speaks_the_site_s_language() {
        let hub = Hub::default();
        hub.set_lang(Lang::Zh);
        let script = hub.script();
        assert!(script.contains("网站没有生成（{n} 处错误）"), "{script}");
        assert!(script.contains(r#""dismiss":"关闭""#), "{script}");
        hub.set_lang(Lang::En);
        assert!(hub.script().contains("the site did not build (1 error)"));
    }

    #[test]
    fn script_json_escapes_markup() {
        assert_eq!(
            script_safe(r#"{"m":"</script><!--&\u2028"}"#.replace("\\u2028", "\u{2028}").as_str()),
            r#"{"m":"\u003c/script\u003e\u003c!--\u0026\u2028"}"#
        );
        let parsed: serde_json::Value =
            serde_json::from_str(&script_safe(r#"{"m":"<img src=x onerror=alert(1)>"}"#)).unwrap();
        assert_eq!(parsed["m"], "<img src=x onerror=alert(1)>");
    }

    #[test]
    fn errors_reach_the_page_only_escaped() {
        let hub = Hub::default();
        hub.notify(Event::Errors(vec![
            problem("<img src=x onerror=alert(1)>"),
            problem("</script><script>alert(2)</script>"),
        ]));
        let script = hub.script();
        assert!(!script.contains("<img"), "{script}");
        assert!(script.contains(r"\u003cimg src=x onerror=alert(1)\u003e"));
        // The only `</script` is the element's own end tag, at the very end.
        assert_eq!(script.to_ascii_lowercase().matches("</script").count(), 1);
        assert!(script.ends_with("</script>\n"));
        assert!(script.contains(r#""line":4,"column":2"#));
        assert!(script.contains(r"a hint \u0026 more"));
        assert!(!script.contains(CONFIG_PLACEHOLDER));
    }

    #[test]
    fn events_update_the_remembered_state() {
        let hub = Hub::default();
        let version = |hub: &Hub| hub.lock().version;
        let problems = |hub: &Hub| hub.lock().problems.len();
        hub.notify(Event::Errors(vec![problem("bad")]));
        assert_eq!((version(&hub), problems(&hub)), (0, 1));
        hub.notify(Event::Errors(vec![]));
        assert_eq!((version(&hub), problems(&hub)), (0, 0));
        hub.notify(Event::Errors(vec![problem("bad")]));
        hub.notify(Event::Reload);
        assert_eq!((version(&hub), problems(&hub)), (1, 0));
        hub.notify(Event::Css);
        assert_eq!((version(&hub), problems(&hub)), (2, 0));
        hub.notify(Event::Errors(vec![problem("bad")]));
        hub.notify(Event::Css);
        assert_eq!((version(&hub), problems(&hub)), (3, 0));
        assert!(hub.script().contains(r#""version":3,"problems":[]"#));
    }

    #[test]
    fn messages_have_the_documented_shape() {
        let json = |m: Message<'_>| serde_json::to_string(&m).unwrap();
        assert_eq!(json(Message::Reload), r#"{"type":"reload"}"#);
        assert_eq!(json(Message::Css), r#"{"type":"css"}"#);
        assert_eq!(
            json(Message::Errors {
                problems: &[problem("x")]
            }),
            r#"{"type":"errors","problems":[{"file":"content/a.md","line":4,"column":2,"message":"x","hint":"a hint & more"}]}"#
        );
    }
}
