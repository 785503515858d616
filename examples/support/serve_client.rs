//! Shared by the serve benchmark and the serve tests: `zhiku serve` on an
//! ephemeral port, and the client side of its live-reload socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// A running `zhiku serve SITE -p 0`, stopped (and its output folder
/// removed) when dropped.
pub(crate) struct Serve {
    /// The `zhiku serve` process.
    pub(crate) child: Child,
    /// The port it listens on.
    pub(crate) port: u16,
    /// Its output folder.
    pub(crate) out: PathBuf,
    /// Every line it printed, stdout and stderr, after those in `head`.
    pub(crate) log: Receiver<String>,
    /// The lines it printed while starting, up to its address and folder.
    pub(crate) head: Vec<String>,
}

impl Serve {
    /// Starts `zhiku serve site -p 0` in `dir` and waits for its address.
    pub(crate) fn start(zhiku: &Path, site: &Path, dir: &Path) -> Serve {
        let mut child = Command::new(zhiku)
            .env("ZHIKU_LANG", "en")
            .arg("serve")
            .arg(site)
            .args(["-p", "0"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("zhiku serve");
        let (tx, log) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let (mut port, mut out, mut head) = (None, None, Vec::new());
        while port.is_none() || out.is_none() {
            let line = log
                .recv_timeout(Duration::from_secs(300))
                .expect("serve did not say where it serves");
            head.push(line.clone());
            if let Some(url) = line.split(" at http://127.0.0.1:").nth(1) {
                port = url.split('/').next().and_then(|p| p.parse().ok());
            }
            if let Some(dir) = line.strip_prefix("Output (not public/): ") {
                out = Some(PathBuf::from(dir));
            }
        }
        Serve {
            child,
            port: port.unwrap(),
            out: out.unwrap(),
            log,
            head,
        }
    }

    /// Asks to open the live-reload socket with this Origin header (or
    /// none): the response status, and the stream.
    pub(crate) fn upgrade(&self, origin: Option<&str>) -> (u16, TcpStream) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        write!(
            stream,
            "GET /__zhiku/live HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{origin}\r\n",
            self.port
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0];
        while !head.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).unwrap_or(0) == 0 {
                break;
            }
            head.push(byte[0]);
        }
        let status = String::from_utf8_lossy(&head)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, stream)
    }

    /// The live-reload socket, opened from the server's own origin.
    pub(crate) fn live(&self) -> Live {
        let (status, stream) = self.upgrade(Some(&format!("http://127.0.0.1:{}", self.port)));
        assert_eq!(status, 101, "the live socket refused its own origin");
        Live::new(stream)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The folder in the site's build cache is the next start's.
        if !self.out.ends_with(".zhiku-cache/serve") {
            let _ = std::fs::remove_dir_all(&self.out);
        }
    }
}

/// The live-reload socket, read on a thread of its own that answers the
/// server's pings at once (as a browser does) and passes text messages on.
pub(crate) struct Live {
    messages: Receiver<String>,
}

impl Live {
    fn new(stream: TcpStream) -> Live {
        let (tx, messages) = mpsc::channel();
        let mut writer = stream.try_clone().expect("socket");
        let mut reader = stream;
        std::thread::spawn(move || {
            loop {
                let mut head = [0; 2];
                if reader.read_exact(&mut head).is_err() {
                    return;
                }
                let len = match head[1] & 0x7f {
                    126 => {
                        let mut e = [0; 2];
                        let _ = reader.read_exact(&mut e);
                        usize::from(u16::from_be_bytes(e))
                    }
                    127 => {
                        let mut e = [0; 8];
                        let _ = reader.read_exact(&mut e);
                        u64::from_be_bytes(e) as usize
                    }
                    n => usize::from(n),
                };
                let mut payload = vec![0; len];
                if reader.read_exact(&mut payload).is_err() {
                    return;
                }
                match head[0] & 0x0f {
                    // A pong: client frames are masked; a zero mask leaves
                    // the payload as it is.
                    9 => {
                        let mut pong = vec![0x8a, 0x80 | payload.len() as u8, 0, 0, 0, 0];
                        pong.extend_from_slice(&payload);
                        let _ = writer.write_all(&pong);
                    }
                    1 => {
                        let _ = tx.send(String::from_utf8_lossy(&payload).into_owned());
                    }
                    _ => {}
                }
            }
        });
        Live { messages }
    }

    /// The next text message within `timeout`.
    pub(crate) fn next(&mut self, timeout: Duration) -> Option<String> {
        self.messages.recv_timeout(timeout).ok()
    }
}
