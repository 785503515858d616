//! The live-preview benchmark (issue 7): runs `zhiku serve` on a copy of
//! the generated corpus, edits it the way an editor does, and times each
//! save from the write to the reload message on the live-reload socket.
//!
//! ```text
//! cargo run --release --example serve_bench -- [--pages 10000] [--edits 15] [--work DIR]
//! ```
//!
//! Prints: a page body edit (median and max), a title change that shows in
//! its section's listing (checked over HTTP), and a template change,
//! against a clean `zhiku build` of the same site in the same run.

#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

struct Args {
    pages: usize,
    edits: usize,
    work: PathBuf,
}

fn main() {
    let args = parse_args();
    let target = corpus::build_binaries();
    let corpus = corpus::zhiku_corpus(&target, &args.work, args.pages, 1);
    let site = args.work.join(format!("serve-site-{}", args.pages));
    let _ = std::fs::remove_dir_all(&site);
    copy_tree(&corpus, &site);
    let zhiku = target.join("zhiku");

    // The clean build to compare with, into a folder that never existed.
    let clean_out = args.work.join("serve-clean-out");
    let _ = std::fs::remove_dir_all(&clean_out);
    let started = Instant::now();
    let ok = Command::new(&zhiku)
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(&clean_out)
        .arg("--quiet")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "clean build failed");
    let clean = started.elapsed();
    let _ = std::fs::remove_dir_all(&clean_out);

    let mut server = Server::start(&zhiku, &site);
    let mut live = server.live();
    server.settle();
    live.drain();
    let pages = sample_pages(&site.join("content"), args.edits);

    let mut body = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let text = std::fs::read_to_string(page).unwrap();
        let t0 = Instant::now();
        std::fs::write(page, format!("{text}\n基准测试第{i}次修改正文。\n")).unwrap();
        live.wait_reload();
        body.push(t0.elapsed());
        server.settle();
        live.drain();
    }

    let mut titles = Vec::new();
    for (i, page) in pages.iter().take(7).enumerate() {
        let text = std::fs::read_to_string(page).unwrap();
        let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
        let new_title = format!("基准改名{i}号");
        let t0 = Instant::now();
        std::fs::write(
            page,
            text.replacen(title_line, &format!("title: {new_title}"), 1),
        )
        .unwrap();
        live.wait_reload();
        titles.push(t0.elapsed());
        let listing = section_url(&site, page);
        assert!(
            server.get(&listing).contains(&new_title),
            "the new title is not in {listing}"
        );
        server.settle();
        live.drain();
    }

    // A template change: the site overrides one of the theme's templates.
    let theme_template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page_info.html");
    let original = std::fs::read_to_string(&theme_template).unwrap();
    std::fs::create_dir_all(site.join("templates")).unwrap();
    let mut template = Vec::new();
    for i in 0..3 {
        let t0 = Instant::now();
        std::fs::write(
            site.join("templates/page_info.html"),
            format!("{original}\n{{# 基准 {i} #}}\n<span hidden>t{i}</span>\n"),
        )
        .unwrap();
        live.wait_reload();
        template.push(t0.elapsed());
        server.settle();
        live.drain();
    }

    body.sort();
    titles.sort();
    template.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("# zhiku serve benchmark: {} pages", args.pages);
    println!();
    println!("| figure | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| page body edit → reload ({} edits) | median {:.0} ms, max {:.0} ms | median < 100 ms (aim 30) |",
        body.len(),
        ms(body[body.len() / 2]),
        ms(body[body.len() - 1])
    );
    println!(
        "| title change → reload, new title in its listing ({} edits) | median {:.0} ms, max {:.0} ms | < 300 ms |",
        titles.len(),
        ms(titles[titles.len() / 2]),
        ms(titles[titles.len() - 1])
    );
    println!(
        "| template change → reload ({} edits) | median {:.0} ms vs clean build {:.0} ms ({:.2}×) | no slower than a clean build |",
        template.len(),
        ms(template[template.len() / 2]),
        ms(clean),
        ms(template[template.len() / 2]) / ms(clean)
    );
    drop(live);
    drop(server);
    let _ = std::fs::remove_dir_all(&site);
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: 10_000,
        edits: 15,
        work: PathBuf::from("target/bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--pages" => args.pages = v().parse().expect("--pages"),
            "--edits" => args.edits = v().parse().expect("--edits"),
            "--work" => args.work = PathBuf::from(v()),
            other => {
                panic!("unknown argument {other}; see the doc comment of examples/serve_bench.rs")
            }
        }
    }
    args
}

/// `zhiku serve` on an ephemeral port.
struct Server {
    child: Child,
    port: u16,
    out: PathBuf,
    log: Receiver<String>,
}

impl Server {
    fn start(zhiku: &Path, site: &Path) -> Server {
        let mut child = Command::new(zhiku)
            .arg("serve")
            .arg(site)
            .args(["-p", "0"])
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
        let (mut port, mut out) = (None, None);
        while port.is_none() || out.is_none() {
            let line = log
                .recv_timeout(Duration::from_secs(300))
                .expect("serve did not start");
            if let Some(url) = line.split(" at http://127.0.0.1:").nth(1) {
                port = url.split('/').next().and_then(|p| p.parse().ok());
            }
            if let Some(dir) = line.strip_prefix("Output (not public/): ") {
                out = Some(PathBuf::from(dir));
            }
        }
        Server {
            child,
            port: port.unwrap(),
            out: out.unwrap(),
            log,
        }
    }

    /// Waits until the search index, rebuilt after each reload, is done
    /// ("Built …" follows "Pages rebuilt …") and the server is quiet.
    fn settle(&mut self) {
        let mut pending = false;
        loop {
            match self
                .log
                .recv_timeout(Duration::from_millis(if pending { 30_000 } else { 700 }))
            {
                Ok(line) if line.starts_with("Pages rebuilt") => pending = true,
                Ok(line) if line.starts_with("Built") => pending = false,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }

    fn get(&self, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body
    }

    fn live(&self) -> Live {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET /__zhiku/live HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:{p}\r\n\r\n",
            p = self.port
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0];
        while !head.ends_with(b"\r\n\r\n") {
            assert!(s.read(&mut byte).unwrap() > 0, "socket closed");
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        Live::new(s)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.out);
    }
}

/// The live-reload socket, read on a thread of its own that answers the
/// server's pings at once (as a browser does) and passes text messages on.
struct Live {
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

    /// Waits for a `reload` message (skipping older ones is the caller's
    /// job: it settles before each edit).
    fn wait_reload(&mut self) {
        loop {
            let text = self
                .messages
                .recv_timeout(Duration::from_secs(120))
                .expect("no reload within 120 s");
            if text.contains("\"reload\"") {
                return;
            }
            assert!(
                !text.contains("\"errors\",\"problems\":[{"),
                "build failed: {text}"
            );
        }
    }

    /// Drops messages that came in while settling.
    fn drain(&mut self) {
        while self.messages.try_recv().is_ok() {}
    }
}

/// `n` pages spread over the corpus.
fn sample_pages(content: &Path, n: usize) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md") {
                all.push(p);
            }
        }
    }
    all.sort();
    let step = (all.len() / n.max(1)).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

/// The URL of the listing of a page's section.
fn section_url(site: &Path, page: &Path) -> String {
    let rel = page
        .parent()
        .unwrap()
        .strip_prefix(site.join("content"))
        .unwrap()
        .to_string_lossy()
        .into_owned();
    if rel.is_empty() {
        "/index.html".into()
    } else {
        format!("/{rel}/index.html")
    }
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}
