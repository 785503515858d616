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
//! against a clean `zhiku build` of the same site in the same run; and the
//! time `zhiku serve` takes to start, the first time and again after it
//! stopped (from the build cache it left, issue 15). With Chromium
//! (`ZHIKU_CHROMIUM` or on PATH), also a body edit from the write until
//! the new text is in the page open in the browser.

#[path = "../tests/browser/cdp.rs"]
#[allow(dead_code, unreachable_pub)]
mod cdp;
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/serve_client.rs"]
#[allow(dead_code)]
mod serve_client;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serve_client::{Live, Serve};

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

    let started = Instant::now();
    let mut server = Server::start(&zhiku, &site);
    let first_start = started.elapsed();
    let mut live = server.live();
    server.settle();
    drain(&mut live);
    let pages = sample_pages(&site.join("content"), args.edits);

    let mut body = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let text = std::fs::read_to_string(page).unwrap();
        let t0 = Instant::now();
        std::fs::write(page, format!("{text}\n基准测试第{i}次修改正文。\n")).unwrap();
        wait_reload(&mut live);
        body.push(t0.elapsed());
        server.settle();
        drain(&mut live);
    }

    let visible = match cdp::find_chromium() {
        Some(exe) => visible_in_browser(&exe, &mut server, &mut live, &site, &pages),
        None => Err("Chromium not found".to_string()),
    };

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
        wait_reload(&mut live);
        titles.push(t0.elapsed());
        let listing = section_url(&site, page);
        assert!(
            server.get(&listing).contains(&new_title),
            "the new title is not in {listing}"
        );
        server.settle();
        drain(&mut live);
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
        wait_reload(&mut live);
        template.push(t0.elapsed());
        server.settle();
        drain(&mut live);
    }

    // Stopped and started again: from the build cache it wrote.
    drop(live);
    drop(server);
    let started = Instant::now();
    let server = Server::start(&zhiku, &site);
    let cached_start = started.elapsed();

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
    match &visible {
        Ok(times) => println!(
            "| page body edit → new text in the page open in Chromium ({} edits) | median {:.0} ms, max {:.0} ms | ≤ 100 ms |",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        ),
        Err(e) => println!("| page body edit → new text in Chromium | skipped: {e} | ≤ 100 ms |"),
    }
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
    println!(
        "| start, until the address is printed: first / again from the build cache | {:.0} ms / {:.0} ms ({:.2}× / {:.2}× the clean build) | from the cache ≤ 0.3× |",
        ms(first_start),
        ms(cached_start),
        ms(first_start) / ms(clean),
        ms(cached_start) / ms(clean)
    );
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

/// `zhiku serve` on an ephemeral port, with what the benchmark needs.
struct Server(Serve);

impl Server {
    fn start(zhiku: &Path, site: &Path) -> Server {
        Server(Serve::start(zhiku, site, Path::new(".")))
    }

    /// Waits until the search index, rebuilt after each reload, is done
    /// ("Built …" follows "Pages rebuilt …") and the server is quiet.
    fn settle(&mut self) {
        let mut pending = false;
        loop {
            match self
                .0
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
        let mut s = TcpStream::connect(("127.0.0.1", self.0.port)).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.0.port
        )
        .unwrap();
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body
    }

    fn live(&self) -> Live {
        self.0.live()
    }
}

/// Edits each page while it is open in Chromium and times each save until
/// the page shows the new text (the live-reload script reloads it), sorted.
fn visible_in_browser(
    exe: &Path,
    server: &mut Server,
    live: &mut Live,
    site: &Path,
    pages: &[PathBuf],
) -> Result<Vec<Duration>, String> {
    let mut browser = cdp::Browser::launch(exe)?;
    let mut tab = browser.new_page()?;
    // Each document the tab loads watches for the text named in
    // `window.name` (kept across reloads) as the parser adds it, and notes
    // the frame after it appeared: timed in the page, so that the
    // benchmark's polling cannot slow the reload it measures.
    tab.add_init_script(
        "(() => { const want = window.name; if (!want) return; \
         const seen = () => document.body && document.body.textContent.includes(want); \
         new MutationObserver((_, o) => { if (!seen()) return; o.disconnect(); \
         requestAnimationFrame(() => { window.__shownAt = performance.timeOrigin + performance.now(); }); }) \
         .observe(document, { childList: true, subtree: true }); })();",
    )?;
    let mut times = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let url = format!("http://127.0.0.1:{}{}", server.0.port, page_url(site, page));
        tab.goto(&url)?;
        let text = std::fs::read_to_string(page).unwrap();
        let marker = format!("浏览器计时第{i}次修改");
        // The page just opened may have seen the last marker already.
        tab.eval(&format!(
            "window.__shownAt = undefined; window.name = '{marker}'"
        ))?;
        let written = std::time::SystemTime::now();
        std::fs::write(page, format!("{text}\n{marker}。\n")).unwrap();
        let shown = loop {
            std::thread::sleep(Duration::from_millis(20));
            // Fails while the page reloads; then try again.
            if let Some(at) = tab.eval("window.__shownAt").ok().and_then(|v| v.as_f64()) {
                break at;
            }
            if written.elapsed().unwrap_or_default() > Duration::from_secs(60) {
                return Err(format!("{url} never showed the edit"));
            }
        };
        let written_ms = written
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            * 1000.0;
        times.push(Duration::from_secs_f64(
            (shown - written_ms).max(0.0) / 1000.0,
        ));
        server.settle();
        drain(live);
    }
    times.sort();
    Ok(times)
}

/// The address of a page's own output: `content/a/b.md` → `/a/b/`.
fn page_url(site: &Path, page: &Path) -> String {
    let rel = page.strip_prefix(site.join("content")).unwrap();
    format!("/{}/", rel.with_extension("").to_string_lossy())
}

/// Waits for a `reload` message.
fn wait_reload(live: &mut Live) {
    loop {
        let text = live
            .next(Duration::from_secs(120))
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
fn drain(live: &mut Live) {
    while live.next(Duration::ZERO).is_some() {}
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
