//! The search relevance benchmark (issue 12, "Measuring it"): does the
//! search box answer what members ask? It builds a corpus, opens the built
//! site in headless Chromium over `file://`, runs every query of a
//! relevance set through the page's own runtime
//! (`zhikuSearch.search(q, zhikuSearch.boxFiles)`), and prints hit@1,
//! hit@5, MRR, the zero-result rate, the KB of search files loaded per
//! query and the query time, overall and per kind of query, then every
//! query whose answer is not in the top 5.
//!
//! ```text
//! cargo run --release --example relevance_bench -- [--corpus statutes|10k] [--pages N] [--seed S] [--work DIR] [--queries FILE] [--loads KIND]
//! ```
//!
//! - `--corpus statutes` (default): the statute-like corpus of
//!   `examples/support/statutes.rs` (`--pages`, default 1500), written to
//!   `target/bench/statutes-N`, with the relevance set
//!   `tests/search/relevance.json`.
//! - `--corpus 10k`: the 10,000-page corpus of `examples/gen_corpus.rs`,
//!   with queries drawn from its pages whose answers are known by
//!   construction (an article cited with its document's title, two words
//!   from two different units of one page, a title in Traditional script,
//!   an exact phrase).
//!
//! Each query runs in a fresh browser context on the site's home page, so
//! nothing is cached between queries: the files and the time are what a
//! member meets on one query. Needs Chromium (`ZHIKU_CHROMIUM` or on PATH).
//! Figures are printed, never asserted.
//!
//! How a hit is judged: a result's URL is its page's URL plus `#anchor` of
//! its best unit (the article or heading it points at). An accepted entry
//! `page/index.html#第十条` accepts exactly that article; `page/index.html`
//! accepts any hit on that page; `*#第三十一条` accepts that article in any
//! document (for a bare citation, which names no document).

#[path = "support/corpus.rs"]
mod corpus;

#[path = "support/statutes.rs"]
#[allow(dead_code)]
mod statutes;

#[path = "../tests/browser/cdp.rs"]
#[allow(dead_code, unreachable_pub)]
mod cdp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

struct Args {
    corpus: String,
    pages: Option<usize>,
    seed: u64,
    work: PathBuf,
    queries: PathBuf,
    /// Print the files each query of this kind loaded.
    loads: Option<String>,
}

/// One query of a relevance set.
#[derive(serde::Deserialize)]
struct Query {
    q: String,
    kind: String,
    accept: Vec<String>,
}

/// What the runtime answered to one query.
struct Outcome {
    /// Hit URLs, best first (`page/index.html#anchor`).
    hits: Vec<String>,
    titles: Vec<String>,
    /// Rank (1-based) of the first accepted hit.
    rank: Option<usize>,
    kb: f64,
    ms: f64,
    /// ms for the whole query after its earlier words were searched, as
    /// the box does while a member types (each input method commit).
    typed_ms: f64,
    /// The index files loaded, with their sizes in bytes.
    loaded: Vec<(String, u64)>,
}

fn main() {
    let args = parse_args();
    let started = Instant::now();
    let target = corpus::build_binaries();
    let (site, queries, label) = match args.corpus.as_str() {
        "statutes" => {
            let pages = args.pages.unwrap_or(1500);
            let (site, articles) = statute_site(&args.work, pages, args.seed);
            let text = std::fs::read_to_string(&args.queries)
                .unwrap_or_else(|e| panic!("{}: {e}", args.queries.display()));
            let queries: Vec<Query> = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", args.queries.display()));
            let label = format!(
                "statute corpus, {pages} pages, {articles} articles, seed {}; {} queries from {}",
                args.seed,
                queries.len(),
                args.queries.display()
            );
            (site, queries, label)
        }
        "10k" => {
            let pages = args.pages.unwrap_or(10_000);
            let site = corpus::zhiku_corpus(&target, &args.work, pages, args.seed);
            let queries = generated_queries(&site.join("content"), args.seed);
            let label = format!(
                "generated corpus, {pages} pages, seed {}; {} queries drawn from its pages",
                args.seed,
                queries.len()
            );
            (site, queries, label)
        }
        other => panic!("--corpus {other}: expected statutes or 10k"),
    };
    let out = site.with_file_name(format!(
        "{}-out",
        site.file_name().unwrap().to_string_lossy()
    ));
    let build_ms = build_site(&target, &site, &out);
    let broken = check_accepts(&out, &queries);
    println!("# zhiku search relevance: {label}");
    println!();
    println!(
        "site built in {:.1} s: {}",
        build_ms / 1000.0,
        out.display()
    );
    if !broken.is_empty() {
        println!();
        println!("accepted answers missing from the built site (fix the relevance set):");
        for b in &broken {
            println!("- {b}");
        }
        std::process::exit(1);
    }
    let Some(exe) = cdp::find_chromium() else {
        println!("Chromium not found (set ZHIKU_CHROMIUM): no figures");
        std::process::exit(1);
    };
    let outcomes = run_queries(&exe, &out, &queries);
    report(&queries, &outcomes, &out);
    if let Some(kind) = &args.loads {
        print_loads(&queries, &outcomes, kind);
    }
    println!();
    println!(
        "(whole run {:.0} s)",
        started.elapsed().as_secs_f64().round()
    );
}

fn parse_args() -> Args {
    let mut args = Args {
        corpus: "statutes".into(),
        pages: None,
        seed: 1,
        work: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench"),
        queries: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/search/relevance.json"),
        loads: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--corpus" => args.corpus = v(),
            "--pages" => args.pages = Some(v().parse().expect("--pages")),
            "--seed" => args.seed = v().parse().expect("--seed"),
            "--work" => args.work = PathBuf::from(v()),
            "--queries" => args.queries = PathBuf::from(v()),
            "--loads" => args.loads = Some(v()),
            "--bench" => {} // cargo bench passes it
            other => panic!(
                "unknown argument {other}; see the doc comment of examples/relevance_bench.rs"
            ),
        }
    }
    args
}

/// Writes the statute corpus into `work/statutes-N` unless the same one is
/// there already (a stamp holds a hash of every file); returns the folder
/// and its number of articles.
fn statute_site(work: &Path, pages: usize, seed: u64) -> (PathBuf, usize) {
    let corpus = statutes::generate(pages, seed);
    let dir = work.join(format!("statutes-{pages}"));
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for (rel, text) in &corpus.files {
        for b in rel.bytes().chain(text.bytes()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    let stamp = format!("seed {seed}, hash {hash:016x}\n");
    if std::fs::read_to_string(dir.join(".complete"))
        .ok()
        .as_deref()
        != Some(&stamp)
    {
        let _ = std::fs::remove_dir_all(&dir);
        corpus.write(&dir).expect("writing the statute corpus");
        std::fs::write(dir.join(".complete"), &stamp).unwrap();
    }
    (dir, corpus.articles)
}

/// `zhiku build SITE -o OUT`; returns the wall time in ms. Warnings are
/// expected (none today); errors stop the benchmark.
fn build_site(target: &Path, site: &Path, out: &Path) -> f64 {
    let t0 = Instant::now();
    let build = Command::new(target.join("zhiku"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("zhiku");
    assert!(
        build.status.success(),
        "zhiku build {} failed:\n{}",
        site.display(),
        String::from_utf8_lossy(&build.stderr)
    );
    t0.elapsed().as_secs_f64() * 1000.0
}

/// Accepted answers that do not exist in the output: a page file that is
/// missing, or an anchor that no element of the page carries.
fn check_accepts(out: &Path, queries: &[Query]) -> Vec<String> {
    let mut broken = Vec::new();
    let mut pages: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut any_anchor = |anchor: &str| -> bool {
        // Bare citations: some regulation of the site has the article.
        let dir = out.join("regulations");
        std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                std::fs::read_to_string(e.path().join("index.html"))
                    .is_ok_and(|html| html.contains(&format!("id=\"{anchor}\"")))
            })
    };
    for q in queries {
        if q.accept.is_empty() {
            broken.push(format!("{:?}: accepts nothing", q.q));
        }
        for a in &q.accept {
            let (page, anchor) = match a.split_once('#') {
                Some((p, x)) => (p, Some(x)),
                None => (a.as_str(), None),
            };
            if page == "*" {
                if !anchor.is_some_and(&mut any_anchor) {
                    broken.push(format!("{:?}: no page has {a}", q.q));
                }
                continue;
            }
            let html = pages
                .entry(page.to_string())
                .or_insert_with(|| std::fs::read_to_string(out.join(page)).ok());
            match (html, anchor) {
                (None, _) => broken.push(format!("{:?}: no page {page}", q.q)),
                (Some(html), Some(x)) if !html.contains(&format!("id=\"{x}\"")) => {
                    broken.push(format!("{:?}: {page} has no #{x}", q.q));
                }
                _ => {}
            }
        }
    }
    broken
}

// ---------------------------------------------------------------------------
// Running the queries in the browser
// ---------------------------------------------------------------------------

/// Records every script the page adds (the runtime removes its data
/// scripts once they have run) and every resource the page fetched.
const RECORD_LOADS: &str = "window.__loaded = []; new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => { \
     if (n.tagName === 'SCRIPT' && n.src) window.__loaded.push(n.src); }))).observe(document, { childList: true, subtree: true });";

fn run_queries(exe: &Path, out: &Path, queries: &[Query]) -> Vec<Outcome> {
    let mut browser = cdp::Browser::launch(exe).expect("Chromium");
    let out = std::fs::canonicalize(out).expect("output folder");
    let home = format!("file://{}/index.html", out.display());
    let mut outcomes = Vec::new();
    for q in queries {
        let mut page = browser.new_page().expect("tab");
        page.add_init_script(RECORD_LOADS).expect("init script");
        page.goto(&home).expect("open the home page");
        // What the search box does on first use: load the runtime if the
        // page has not, then search. The clock runs from the call to the
        // answer: loading the index files from disk included.
        let script = format!(
            "(async () => {{\
               if (!window.zhikuSearch) await new Promise((ok, no) => {{ const s = document.createElement('script'); \
                 s.src = (document.documentElement.dataset.root || '') + 'assets/search.js'; s.onload = ok; s.onerror = no; document.head.appendChild(s); }});\
               const t0 = performance.now();\
               const r = await zhikuSearch.search({q}, zhikuSearch.boxFiles);\
               const ms = performance.now() - t0;\
               const pages = (r && r.pages) || [];\
               return {{ ms,\
                 hits: pages.map(p => p.url + (p.best && p.best.anchor ? '#' + p.best.anchor : '')),\
                 titles: pages.map(p => p.title || ''),\
                 loaded: window.__loaded.concat(performance.getEntriesByType('resource').map(e => e.name)) }};\
             }})()",
            q = Value::from(q.q.as_str())
        );
        let r = page
            .eval(&script)
            .unwrap_or_else(|e| panic!("query {:?}: {e}", q.q));
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(percent_decode))
                .collect()
        };
        let hits = strings(&r["hits"]);
        let rank = hits
            .iter()
            .position(|h| q.accept.iter().any(|a| accepts(a, h)))
            .map(|i| i + 1);
        drop(page);
        let typed_ms = typed(&mut browser, &home, &q.q);
        outcomes.push(Outcome {
            typed_ms,
            rank,
            titles: strings(&r["titles"]),
            hits,
            kb: kb_loaded(&r["loaded"], "/search/"),
            loaded: files_loaded(&r["loaded"], "/search/"),
            ms: r["ms"].as_f64().unwrap_or(f64::NAN),
        });
    }
    outcomes
}

/// The query as an input method commits it: words (split at spaces),
/// Chinese in runs of two characters, each commit appended to the last.
fn commits(q: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for word in q.split_inclusive(char::is_whitespace) {
        let chars: Vec<char> = word.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let cjk = zhiku_is_cjk(chars[k]);
            let mut end = k + 1;
            while end < chars.len() && (zhiku_is_cjk(chars[end]) == cjk) && (!cjk || end - k < 2) {
                end += 1;
            }
            parts.push(chars[k..end].iter().collect::<String>());
            k = end;
        }
    }
    let mut typed = String::new();
    parts
        .into_iter()
        .map(|p| {
            typed.push_str(&p);
            typed.clone()
        })
        .collect()
}

/// Searches each commit of `q` in turn in a fresh tab, as the box does
/// while a member types; returns the ms of the last one (the whole
/// query), the time from the last commit to the answer.
fn typed(browser: &mut cdp::Browser, home: &str, q: &str) -> f64 {
    let mut page = browser.new_page().expect("tab");
    page.goto(home).expect("open the home page");
    let prefixes = commits(q);
    let script = format!(
        "(async () => {{\
           if (!window.zhikuSearch) await new Promise((ok, no) => {{ const s = document.createElement('script'); \
             s.src = (document.documentElement.dataset.root || '') + 'assets/search.js'; s.onload = ok; s.onerror = no; document.head.appendChild(s); }});\
           const prefixes = {prefixes};\
           for (const p of prefixes.slice(0, -1)) await zhikuSearch.search(p, zhikuSearch.boxFiles);\
           const t0 = performance.now();\
           await zhikuSearch.search(prefixes[prefixes.length - 1], zhikuSearch.boxFiles);\
           return performance.now() - t0;\
         }})()",
        prefixes = Value::from(prefixes)
    );
    page.eval(&script)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// Whether an accepted entry accepts a hit URL (see the module doc).
fn accepts(accept: &str, hit: &str) -> bool {
    let (hit_page, hit_anchor) = hit.split_once('#').unwrap_or((hit, ""));
    match accept.split_once('#') {
        Some(("*", anchor)) => hit_anchor == anchor,
        Some((page, anchor)) => hit_page == page && hit_anchor == anchor,
        None => hit_page == accept,
    }
}

/// KB on disk of the distinct `file://` resources whose URL contains
/// `part`.
fn kb_loaded(urls: &Value, part: &str) -> f64 {
    let bytes: u64 = files_loaded(urls, part).iter().map(|f| f.1).sum();
    bytes as f64 / 1024.0
}

/// The distinct `file://` resources whose URL contains `part`, with their
/// sizes on disk.
fn files_loaded(urls: &Value, part: &str) -> Vec<(String, u64)> {
    let mut seen: Vec<String> = urls
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u.as_str())
        .filter(|u| u.contains(part))
        .map(|u| percent_decode(u.trim_start_matches("file://")))
        .collect();
    seen.sort();
    seen.dedup();
    seen.into_iter()
        .filter_map(|p| {
            let len = std::fs::metadata(&p).ok()?.len();
            let short = p.rsplit_once("/search/").map_or(p.as_str(), |(_, s)| s);
            Some((short.to_string(), len))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

struct Figures {
    n: usize,
    hit1: f64,
    hit5: f64,
    mrr: f64,
    zero: f64,
    kb_median: f64,
    kb_max: f64,
    ms_median: f64,
    ms_max: f64,
    typed_median: f64,
    typed_max: f64,
}

fn figures(outcomes: &[&Outcome]) -> Figures {
    let n = outcomes.len().max(1) as f64;
    let share = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count() as f64 / n;
    let mut kb: Vec<f64> = outcomes.iter().map(|o| o.kb).collect();
    let mut ms: Vec<f64> = outcomes.iter().map(|o| o.ms).collect();
    let mut typed: Vec<f64> = outcomes.iter().map(|o| o.typed_ms).collect();
    kb.sort_by(f64::total_cmp);
    ms.sort_by(f64::total_cmp);
    typed.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    Figures {
        n: outcomes.len(),
        hit1: share(&|o| o.rank == Some(1)),
        hit5: share(&|o| o.rank.is_some_and(|r| r <= 5)),
        mrr: outcomes
            .iter()
            .map(|o| o.rank.map_or(0.0, |r| 1.0 / r as f64))
            .sum::<f64>()
            / n,
        zero: share(&|o| o.hits.is_empty()),
        kb_median: median(&kb),
        kb_max: kb.last().copied().unwrap_or(f64::NAN),
        ms_median: median(&ms),
        ms_max: ms.last().copied().unwrap_or(f64::NAN),
        typed_median: median(&typed),
        typed_max: typed.last().copied().unwrap_or(f64::NAN),
    }
}

fn row(name: &str, f: &Figures) {
    println!(
        "| {name} | {} | {:.0}% | {:.0}% | {:.2} | {:.0}% | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} |",
        f.n,
        f.hit1 * 100.0,
        f.hit5 * 100.0,
        f.mrr,
        f.zero * 100.0,
        f.kb_median,
        f.kb_max,
        f.ms_median,
        f.ms_max,
        f.typed_median,
        f.typed_max
    );
}

/// Each query of `kind` with the index files it loaded, largest first.
fn print_loads(queries: &[Query], outcomes: &[Outcome], kind: &str) {
    println!("\n## Files loaded by the {kind} queries\n");
    for (q, o) in queries.iter().zip(outcomes).filter(|(q, _)| q.kind == kind) {
        println!("{} — {:.0} KB", q.q, o.kb);
        let mut files = o.loaded.clone();
        files.sort_by_key(|f| std::cmp::Reverse(f.1));
        for (name, len) in files {
            println!("    {:>6.1} KB  {name}", len as f64 / 1024.0);
        }
    }
}

fn report(queries: &[Query], outcomes: &[Outcome], out: &Path) {
    let runtime_kb =
        std::fs::metadata(out.join("assets/search.js")).map_or(0.0, |m| m.len() as f64 / 1024.0);
    println!();
    println!(
        "| queries | n | hit@1 | hit@5 | MRR | zero results | KB loaded, median / max | ms, median / max | ms as typed, median / max |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    row("all", &figures(&outcomes.iter().collect::<Vec<_>>()));
    let mut kinds: Vec<&str> = queries.iter().map(|q| q.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let of_kind: Vec<&Outcome> = queries
            .iter()
            .zip(outcomes)
            .filter(|(q, _)| q.kind == kind)
            .map(|(_, o)| o)
            .collect();
        row(kind, &figures(&of_kind));
    }
    println!();
    println!(
        "Targets (issue 12): hit@5 ≥ 95%, MRR ≥ 0.9, zero results 0; KB loaded per query median ≤ 120, max ≤ 500; \
         results ≤ 150 ms after the last keystroke. KB counts the index files under search/ that the query loaded \
         (plus {runtime_kb:.0} KB of assets/search.js, once); ms runs from the call to the answer, index files read \
         from disk in a fresh browser context. \"As typed\": the query's earlier words (input method commits: words, \
         Chinese in pairs of characters) were searched first, in a fresh tab, as the box does while a member types; \
         ms from the last commit to the answer. The box waits for a pause in typing first (see search.js, onTyping)."
    );
    let misses: Vec<(&Query, &Outcome)> = queries
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| o.rank.is_none_or(|r| r > 5))
        .collect();
    println!();
    println!(
        "## Queries whose answer is not in the top 5 ({})",
        misses.len()
    );
    println!();
    for (q, o) in misses {
        let first = match o.hits.first() {
            Some(h) => format!(
                "first {h} ({})",
                o.titles.first().map_or("", |t| t.as_str())
            ),
            None => "no results".to_string(),
        };
        let rank = o
            .rank
            .map_or(String::new(), |r| format!("; answer at rank {r}"));
        println!(
            "- [{}] {:?} → {first}{rank}; wanted {}",
            q.kind,
            q.q,
            q.accept.join(" or ")
        );
    }
    let mut slowest: Vec<(&Query, &Outcome)> = queries.iter().zip(outcomes).collect();
    slowest.sort_by(|a, b| b.1.ms.total_cmp(&a.1.ms));
    println!("\n## Slowest queries\n");
    for (q, o) in slowest.iter().take(3) {
        println!("- [{}] {:?}: {:.0} ms, {:.0} KB", q.kind, q.q, o.ms, o.kb);
    }
}

// ---------------------------------------------------------------------------
// Queries for the generated 10,000-page corpus
// ---------------------------------------------------------------------------

/// A page of the generated corpus: its URL, title, kind and units (the
/// opening, then one per heading or article, each with its anchor).
struct Page {
    url: String,
    title: String,
    kind: String,
    units: Vec<(String, String)>,
    /// The whole text, Traditional folded to Simplified.
    folded: String,
}

fn read_pages(content: &Path) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "md")
                || path.file_name().is_some_and(|n| n == "_index.md")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let rel = path.strip_prefix(content).unwrap().to_string_lossy();
            if let Some(page) = parse_page(
                &format!("{}/index.html", rel.trim_end_matches(".md")),
                &text,
            ) {
                pages.push(page);
            }
        }
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

fn parse_page(url: &str, text: &str) -> Option<Page> {
    let rest = text.strip_prefix("---\n")?;
    let (front, body) = rest.split_once("\n---\n")?;
    let field = |key: &str| {
        front.lines().find_map(|l| {
            l.strip_prefix(key)
                .and_then(|v| v.strip_prefix(':'))
                .map(|v| v.trim().trim_matches('"').to_string())
        })
    };
    let (title, kind) = (field("title")?, field("kind").unwrap_or_default());
    let mut units = vec![(String::new(), String::new())];
    for para in body.split("\n\n") {
        let para = para.trim();
        let plain = para.trim_start_matches("**");
        if let Some(h) = para
            .strip_prefix("## ")
            .or_else(|| para.strip_prefix("### "))
        {
            units.push((h.replace(' ', "-"), String::new()));
        } else if kind == "regulation"
            && let Some(anchor) = article_anchor(plain)
        {
            units.push((anchor, para.to_string()));
        } else {
            let unit = units.last_mut().unwrap();
            unit.1.push_str(para);
            unit.1.push('\n');
        }
    }
    Some(Page {
        url: url.to_string(),
        folded: zhiku::fold::fold(&format!("{title}\n{body}")),
        title,
        kind,
        units,
    })
}

/// `第十条` for a paragraph that starts with 第十条 (Chinese numerals, as
/// gen_corpus writes them).
fn article_anchor(para: &str) -> Option<String> {
    let rest = para.strip_prefix('第')?;
    let end = rest.find(['条', '條'])?;
    let number = &rest[..end];
    (!number.is_empty()
        && number
            .chars()
            .all(|c| "零一二三四五六七八九十百千".contains(c)))
    .then(|| format!("第{number}条"))
}

/// Chinese numerals back to a number (for the Arabic forms of citations).
fn chinese_value(s: &str) -> usize {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let (mut total, mut current) = (0, 0);
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                _ => 1000,
            };
            total += current.max(usize::from(unit == 10 && current == 0)) * unit;
            current = 0;
        }
    }
    total + current
}

/// The first `len` characters of a random clause of `text` (a run of CJK
/// characters between punctuation), which reads more like a word a member
/// would type than a run cut from the middle of a sentence.
fn clause_start(rng: &mut u64, text: &str, len: usize) -> Option<String> {
    let clauses: Vec<&str> = text
        .split(|c: char| !zhiku_is_cjk(c))
        .filter(|c| c.chars().count() >= len + 2)
        .collect();
    if clauses.is_empty() {
        return None;
    }
    let clause = clauses[(next(rng) % clauses.len() as u64) as usize];
    Some(clause.chars().take(len).collect())
}

/// A run of `len` CJK characters at a random place of `text`.
fn cjk_run(rng: &mut u64, text: &str, len: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for _ in 0..20 {
        let start = (next(rng) % chars.len().max(1) as u64) as usize;
        let run: String = chars.iter().skip(start).take(len).collect();
        if run.chars().count() == len && run.chars().all(zhiku_is_cjk) {
            return Some(run);
        }
    }
    None
}

fn zhiku_is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// At least 60 queries whose answers follow from how they were drawn:
/// 20 citations of an article with its document's title (three written
/// forms), 20 pairs of clause openings from two different units of one page (the
/// pages holding both words are the answers, at most three of them), 10
/// titles in Traditional script, 10 exact phrases (every page holding the
/// phrase is an answer).
fn generated_queries(content: &Path, seed: u64) -> Vec<Query> {
    let pages = read_pages(content);
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut queries = Vec::new();
    let pick = |rng: &mut u64, kind: Option<&str>| loop {
        let p = &pages[(next(rng) % pages.len() as u64) as usize];
        if kind.is_none_or(|k| p.kind == k) {
            return p;
        }
    };
    while queries.len() < 20 {
        let p = pick(&mut rng, Some("regulation"));
        let articles: Vec<&String> = p
            .units
            .iter()
            .map(|u| &u.0)
            .filter(|a| a.ends_with('条'))
            .collect();
        if articles.is_empty() {
            continue;
        }
        let anchor = articles[(next(&mut rng) % articles.len() as u64) as usize];
        let number = &anchor["第".len()..anchor.len() - "条".len()];
        let q = match queries.len() % 3 {
            0 => format!("{}第{}条", p.title, chinese_value(number)),
            1 => format!("《{}》第{number}条", p.title),
            _ => format!("{} {}条", p.title, chinese_value(number)),
        };
        queries.push(Query {
            q,
            kind: "citation".into(),
            accept: vec![format!("{}#{anchor}", p.url)],
        });
    }
    let mut tries = 0;
    while queries.len() < 40 && tries < 10_000 {
        tries += 1;
        let p = pick(&mut rng, None);
        if p.units.len() < 3 {
            continue;
        }
        let (a, b) = (
            (next(&mut rng) % p.units.len() as u64) as usize,
            (next(&mut rng) % p.units.len() as u64) as usize,
        );
        if a == b {
            continue;
        }
        let (Some(w1), Some(w2)) = (
            clause_start(&mut rng, &p.units[a].1, 4),
            clause_start(&mut rng, &p.units[b].1, 4),
        ) else {
            continue;
        };
        let (f1, f2) = (zhiku::fold::fold(&w1), zhiku::fold::fold(&w2));
        if p.units.iter().any(|u| {
            let t = zhiku::fold::fold(&u.1);
            t.contains(&f1) && t.contains(&f2)
        }) {
            continue; // both in one unit: not the case this kind measures
        }
        let accept: Vec<String> = pages
            .iter()
            .filter(|o| o.folded.contains(&f1) && o.folded.contains(&f2))
            .map(|o| o.url.clone())
            .collect();
        if accept.len() <= 3 && !queries.iter().any(|q: &Query| q.q == format!("{w1} {w2}")) {
            queries.push(Query {
                q: format!("{w1} {w2}"),
                kind: "multi".into(),
                accept,
            });
        }
    }
    while queries.len() < 50 {
        let p = pick(&mut rng, None);
        let traditional = statutes::to_traditional(&p.title);
        if traditional == p.title || queries.iter().any(|q| q.q == traditional) {
            continue;
        }
        let folded = zhiku::fold::fold(&p.title);
        let accept = pages
            .iter()
            .filter(|o| zhiku::fold::fold(&o.title) == folded)
            .map(|o| o.url.clone())
            .collect();
        queries.push(Query {
            q: traditional,
            kind: "traditional".into(),
            accept,
        });
    }
    while queries.len() < 60 {
        let p = pick(&mut rng, None);
        let u = &p.units[(next(&mut rng) % p.units.len() as u64) as usize];
        let Some(phrase) = cjk_run(&mut rng, &u.1, 6) else {
            continue;
        };
        let f = zhiku::fold::fold(&phrase);
        let accept = pages
            .iter()
            .filter(|o| o.folded.contains(&f))
            .map(|o| o.url.clone())
            .collect();
        queries.push(Query {
            q: phrase,
            kind: "exact".into(),
            accept,
        });
    }
    queries
}
